// The organizers' applications table: tick every row of the page at once, and confirm a
// bulk decision before it leaves (it e-mails every applicant ticked). Without JavaScript
// the rows are ticked one by one and the form posts straight away.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.bulk");
  if (!form) return;
  const rows = () => form.querySelectorAll('input[name="application"]');
  const all = form.querySelector("#pick-all");
  if (all) {
    all.hidden = false;
    all.addEventListener("change", () => rows().forEach((box) => { box.checked = all.checked; }));
  }
  form.addEventListener("submit", (event) => {
    const ticked = [...rows()].filter((box) => box.checked).length;
    if (ticked > 0 && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
});
