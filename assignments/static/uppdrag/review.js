// The import's review: a check's link leads to its field (the anchor does that without this
// script); here it also focuses the field and scrolls the source text beside the form to the
// passage the field was read from, marked until the next check is followed.
document.addEventListener("DOMContentLoaded", () => {
  const checks = document.getElementById("review-checks");
  if (!checks) return;
  checks.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) field.focus({ preventScroll: false });
    document.querySelectorAll(".uppdrag-source-current").forEach((line) => {
      line.classList.remove("uppdrag-source-current");
    });
    const line = link.dataset.line && document.getElementById("source-line-" + link.dataset.line);
    if (line) {
      line.classList.add("uppdrag-source-current");
      line.scrollIntoView({ block: "center" });
    }
  });
});
