// The attendance scan page: reads a participant's QR code with the phone's camera (jsQR, from the npm
// registry) and posts the pass it holds through the page's own form. Without a camera (or JavaScript)
// the form is typed into by hand.
(function () {
  "use strict";
  var start = document.getElementById("scan-start");
  var box = document.getElementById("scanner");
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var status = document.getElementById("scan-status");
  var form = document.getElementById("scan-form");
  var input = document.getElementById("id_token");
  if (!start || !video || !form || typeof window.jsQR !== "function") return;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  start.hidden = false;
  var stream = null;

  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
  }

  function tick() {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (code && code.data) {
        stop();
        input.value = code.data;
        form.submit();
        return;
      }
    }
    window.requestAnimationFrame(tick);
  }

  start.addEventListener("click", function () {
    box.hidden = false;
    status.textContent = status.getAttribute("data-looking");
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.setAttribute("playsinline", "");
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(tick); })
      .catch(function () {
        status.textContent = status.getAttribute("data-nocamera");
        stop();
      });
  });
  window.addEventListener("pagehide", stop);
})();
