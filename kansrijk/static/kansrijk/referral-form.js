// Shows the weeks of pregnancy next to the due date while typing.
(function () {
  "use strict";
  var input = document.querySelector("[data-weeks-output]");
  if (!input) return;
  var output = document.getElementById(input.getAttribute("data-weeks-output"));
  function update() {
    if (!input.value) { output.textContent = ""; return; }
    var due = new Date(input.value + "T00:00:00");
    var today = new Date(); today.setHours(0, 0, 0, 0);
    var days = 280 - Math.round((due - today) / 86400000);
    if (isNaN(days) || days < 0 || days > 300) { output.textContent = ""; return; }
    output.textContent = output.getAttribute("data-label") + " " + Math.floor(days / 7) + "+" + (days % 7);
  }
  input.addEventListener("input", update);
  input.addEventListener("change", update);
  update();
})();
