// allauth's webauthn.js reports a key dialog that failed or was cancelled
// only to the console (an "allauth.error" event nobody handles): show the
// page's message instead (templates/mfa/webauthn/snippets/scripts.html).
(function () {
  "use strict";

  document.addEventListener("allauth.error", function (event) {
    var melding = document.getElementById("webauthn-fout");
    if (!melding) {
      return;
    }
    event.preventDefault();
    melding.hidden = false;
    melding.focus();
  });
})();
