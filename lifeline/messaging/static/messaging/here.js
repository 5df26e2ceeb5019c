// "Add where I am now" on the subscription page: the browser's location, asked once on a tap,
// fills the form's hidden latitude and longitude. Without JavaScript or a location the page still
// works: people pick places by name.
(function () {
  "use strict";
  var box = document.getElementById("here");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  if (!box || !lat || !lon || !navigator.geolocation) return;
  var status = document.getElementById("here-status");
  box.hidden = false;
  document.getElementById("here-button").addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(3);
        lon.value = position.coords.longitude.toFixed(3);
        status.textContent = status.getAttribute("data-done");
      },
      function () {
        status.textContent = status.getAttribute("data-failed");
      },
      { maximumAge: 600000, timeout: 15000 }
    );
  });
})();
