// The "In" button of the report pages: print the page (print CSS hides the menus and buttons).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
