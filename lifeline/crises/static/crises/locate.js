// Progressive enhancement of the just-in-time form: fill "lat,lon" from the browser's geolocation.
(function () {
  var field = document.getElementById("id_location");
  var button = document.getElementById("locate-me");
  if (!field || !button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      field.value = position.coords.latitude.toFixed(5) + "," + position.coords.longitude.toFixed(5);
      button.disabled = false;
    }, function () {
      button.disabled = false;
      button.textContent = button.getAttribute("data-failed");
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
})();
