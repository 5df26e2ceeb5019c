/* The main menu folds behind a "Menu" button on a narrow screen (site.css, .main-nav.foldable).
   Without this script the menu simply stays open; the button is a real button, so Enter and Space
   work, and Escape closes the menu and gives the focus back to the button. */
(function () {
  "use strict";
  function setUp() {
    var nav = document.getElementById("main-nav");
    var button = nav && nav.querySelector(".menu-toggle");
    if (!button) return;
    function show(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    }
    nav.classList.add("foldable");
    button.hidden = false;
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        show(false);
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
