// A form marked data-single-submit is sent once: a double click does not send it twice.
// (The server refuses a second submit anyway; this only spares a confusing wait.)
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-single-submit")) return;
    if (form.getAttribute("data-submitted") === "true") { event.preventDefault(); return; }
    form.setAttribute("data-submitted", "true");
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
      b.setAttribute("aria-disabled", "true");
    });
  });
  // A page opened for printing (the server logged it as a print) opens the print dialog.
  if (document.querySelector("[data-autoprint]")) {
    window.addEventListener("load", function () { window.print(); });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-print]");
    if (!link) return;
    event.preventDefault();
    window.print();
  });
})();
