"""The annual report, one module per part; this package imports nothing, so that its pieces
(and `norsk`, which the charts and renderers share) can be imported without the whole.

- `document`: the document model every renderer lays out (Report, Chapter, Section, blocks).
- `values`: reading values out of the statistics dict.
- `shared_figures`: the figures the report and the dashboard share (`build_figures`).
- `chapter_inquiries`, `chapter_outreach`, `chapter_followup`: chapters 3, 4 and 5, with
  `sentences` (the figure sentences) beside them.
- `assembly`: `build_report`, the whole report from the statistics and the manager's texts.
"""
