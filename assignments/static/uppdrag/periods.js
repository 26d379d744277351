// "Nytt uppdrag": when a tidplan period is typed ("Sep – okt 2025"), fill its row's empty start
// and due dates as the server would (one parser: the period address answers with
// assignments/periods.py). The page works without this; the server fills them on submit.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("register-form");
  if (!form || !form.dataset.periodUrl) return;
  form.addEventListener("focusout", async (event) => {
    const input = event.target;
    if (!input.matches("input[data-period]") || !input.value.trim()) return;
    const prefix = input.name.replace(/period_label$/, "");
    const start = form.elements[prefix + "start"];
    const due = form.elements[prefix + "due"];
    if (!start || !due || (start.value && due.value)) return;
    const url = form.dataset.periodUrl + "?period=" + encodeURIComponent(input.value);
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const period = await response.json();
    if (!start.value && (period.start || period.due)) start.value = period.start || period.due;
    if (!due.value && period.due) due.value = period.due;
  });
});
