// Under each text marked data-sms-count: how many characters it has and how many text messages
// (SMS) it takes, to the same rules as lifeline.messaging.segments (GSM 03.38): a text made only
// of the GSM 7-bit alphabet goes as GSM-7, 160 septets in one message and 153 per part, an
// extension character (€ [ ] { } ^ ~ | \ and form feed) taking two and never split across parts;
// any other character sends the whole text as UCS-2, 70 UTF-16 units in one message and 67 per
// part, an emoji (a surrogate pair) never split. The words come from data-sms-label, with
// {chars}, {sms} and {encoding} in them. Without this file the form works the same.
(function () {
  "use strict";
  var BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENSION = "\f^{}\\[~]|€";
  var LIMITS = { "GSM-7": [160, 153], "UCS-2": [70, 67] };

  function count(text) {
    var chars = Array.from(text);
    var gsm = chars.every(function (ch) { return BASIC.indexOf(ch) >= 0 || EXTENSION.indexOf(ch) >= 0; });
    var encoding = gsm ? "GSM-7" : "UCS-2";
    var sizes = chars.map(function (ch) {
      return gsm ? (EXTENSION.indexOf(ch) >= 0 ? 2 : 1) : ch.length;  // ch.length: UTF-16 units
    });
    var units = sizes.reduce(function (a, b) { return a + b; }, 0);
    var single = LIMITS[encoding][0], part = LIMITS[encoding][1];
    var segments = units === 0 ? 0 : 1;
    if (units > single) {
      var used = 0;
      sizes.forEach(function (size) {
        if (used + size > part) { segments += 1; used = 0; }
        used += size;
      });
    }
    return { chars: chars.length, encoding: encoding, units: units, segments: segments };
  }

  function enhance(box) {
    var out = document.createElement("p");
    out.className = "help sms-count";
    out.id = box.id + "_sms";
    out.setAttribute("aria-live", "polite");
    var described = (box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(out.id);
    box.setAttribute("aria-describedby", described.join(" "));
    box.insertAdjacentElement("afterend", out);
    var label = box.getAttribute("data-sms-label") || "{chars} · {sms} SMS ({encoding})";
    function refresh() {
      var result = count(box.value);
      out.textContent = label.replace("{chars}", result.chars).replace("{sms}", result.segments)
        .replace("{encoding}", result.encoding);
      out.setAttribute("data-segments", String(result.segments));
      out.setAttribute("data-encoding", result.encoding);
    }
    box.addEventListener("input", refresh);
    refresh();
  }

  window.lifelineSmsCount = count;  // for the browser tests: the same rules, called directly
  document.querySelectorAll("[data-sms-count]").forEach(enhance);
})();
