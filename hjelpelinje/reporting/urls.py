from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hjelpelinje.reporting import views

app_name = "reporting"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("chart/<int:year>/<str:digest>/<str:key>.svg", views.chart_svg, name="chart"),
    path("annual/", views.annual_report, name="annual_report"),
    path("annual/download/", views.annual_report_download, name="annual_report_download"),
    path("annual/<int:year>/texts/", views.manager_texts_edit, name="texts_edit"),
]
