// "Lägg till rad" on the registration form: the empty row (the formset's empty form, in a
// <template> beside the button) added in place, its first field focused, instead of sending
// the whole form back to the server and reloading a long page at its top. Without scripts the
// button still does that (workflow/views/register.py: add_row), so the page works either way.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("register-form");
  if (!form) return;
  form.addEventListener("click", (event) => {
    const button = event.target.closest('button[name="add_row"]');
    if (!button) return;
    const prefix = button.value;
    const template = document.getElementById("empty-row-" + prefix);
    const total = form.elements[prefix + "-TOTAL_FORMS"];
    if (!template || !total) return;
    event.preventDefault();
    const index = parseInt(total.value, 10) || 0;
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    const row = holder.firstElementChild;
    button.before(row);
    total.value = String(index + 1);
    const first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });
});
