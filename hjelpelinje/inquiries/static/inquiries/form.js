// Keyboard shortcuts for the inquiry form (no inline scripts: the CSP forbids them).
// Alt + letter jumps to a field group; inside a group of radio buttons or checkboxes the
// digits 1-9 pick the n-th option, 0 the tenth, and Shift + a digit the 11th to 20th (a code
// list such as "Henvist til" has ten entries, and managers may add more); Ctrl+Enter saves
// from anywhere.
(() => {
  const form = document.getElementById("inquiry-form");
  if (!form) return;
  const groups = new Map();
  form.querySelectorAll("[data-key]").forEach((el) => groups.set(el.dataset.key, el));

  const focusGroup = (el) => {
    const target =
      el.querySelector("input:checked") || el.querySelector("input, select, textarea");
    if (target) target.focus();
  };

  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    const group = event.target.closest("fieldset.inq-group");
    // event.code names the key, not the character: Shift+1 is "!" on a Norwegian keyboard.
    const digit = /^Digit([0-9])$/.exec(event.code);
    if (group && digit && !event.altKey && !event.ctrlKey && !event.metaKey) {
      const inputs = group.querySelectorAll("input");
      const n = Number(digit[1]) || 10;
      const input = inputs[n - 1 + (event.shiftKey ? 10 : 0)];
      if (input) {
        event.preventDefault();
        input.click();
        input.focus();
      }
    }
  });

  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const el = groups.get(event.key.toLowerCase());
    if (el) {
      event.preventDefault();
      focusGroup(el);
    }
  });

  // After a failed save, start where the first error is rather than at the top.
  const firstError = form.querySelector(".has-error input, .has-error select, .has-error textarea");
  if (firstError) firstError.focus();

  // The alert fields only matter once the duty to avert is triggered.
  const avert = form.querySelectorAll("input[name=duty_to_avert]");
  const details = [document.getElementById("group-duty_to_avert_agencies"),
    form.querySelector("[name=duty_to_avert_at]")?.closest(".field")];
  const alertedAt = form.querySelector("[name=duty_to_avert_at]");
  const isOn = () => form.querySelector("input[name=duty_to_avert]:checked")?.value === "1";
  const sync = () => {
    details.forEach((el) => el && el.classList.toggle("inq-off", !isOn()));
  };
  const pad = (n) => String(n).padStart(2, "0");
  avert.forEach((input) =>
    input.addEventListener("change", () => {
      // Most alerts are made during or right after the conversation: start from now.
      if (isOn() && alertedAt && !alertedAt.value) {
        const d = new Date();
        alertedAt.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
      }
      sync();
    }),
  );
  sync();
})();
