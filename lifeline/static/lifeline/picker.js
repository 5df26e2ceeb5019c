// Pickers that take several values (languages, countries): after "Arabic (ar); " the
// browser's list suggests the next value, not the whole box. Without this file the box
// still works: people type names separated by semicolons.
(function () {
  "use strict";
  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var names = Array.prototype.map.call(list.options, function (option) { return option.value; });
    var shownPrefix = null;
    function refresh() {
      var value = input.value;
      var cut = value.lastIndexOf(";");
      var prefix = cut >= 0 ? value.slice(0, cut + 1).replace(/\s*$/, " ") : "";
      if (prefix === shownPrefix) return;
      shownPrefix = prefix;
      var fragment = document.createDocumentFragment();
      names.forEach(function (name) {
        var option = document.createElement("option");
        option.value = prefix + name;
        fragment.appendChild(option);
      });
      list.replaceChildren(fragment);
    }
    input.addEventListener("input", refresh);
    input.addEventListener("focus", refresh);
  }
  document.querySelectorAll("input[data-picker=multiple]").forEach(enhance);
})();
