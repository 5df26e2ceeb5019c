// The sending dashboard reloads itself while a message is being sent (the page says so).
setTimeout(function () {
  window.location.reload();
}, 5000);
