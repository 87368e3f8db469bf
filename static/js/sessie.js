// The warning before a session ends for inactivity (zorg.sessies).
//
// The server decides: this script only asks it how long the session has
// left (asking is not activity) and shows the warning shortly before the
// end. "Aangemeld blijven" is a background POST, so the page and whatever
// was typed on it stay. When the server says the session is over, the page
// goes to its own address: the server sends it to the login page, which
// says why and leads back here after signing in.
(function () {
  "use strict";

  var vak = document.getElementById("sessie-waarschuwing");
  if (!vak || !window.fetch) {
    return;
  }
  var waarschuwing = Number(vak.dataset.waarschuwing) || 180;
  var knop = vak.querySelector("[data-sessie-verlengen]");
  var einde = 0;
  var wachter = null;
  var klok = null;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"] || "";
    } catch (fout) {
      return "";
    }
  }

  function weg() {
    window.location.assign(window.location.href);
  }

  function aftellen() {
    var seconden = Math.max(0, Math.round((einde - Date.now()) / 1000));
    var tekst = Math.floor(seconden / 60) + ":" + String(seconden % 60).padStart(2, "0");
    vak.querySelectorAll("[data-sessie-aftellen]").forEach(function (el) {
      el.textContent = tekst;
    });
    if (seconden <= 0) {
      window.clearInterval(klok);
      klok = null;
      window.clearTimeout(wachter);
      wachter = window.setTimeout(vragen, 1000);
    }
  }

  function tonen(verlengbaar) {
    vak.querySelector('[data-sessie-tekst="inactief"]').hidden = !verlengbaar;
    vak.querySelector('[data-sessie-tekst="absoluut"]').hidden = verlengbaar;
    knop.hidden = !verlengbaar;
    vak.hidden = false;
    aftellen();
    if (!klok) {
      klok = window.setInterval(aftellen, 1000);
    }
  }

  function verbergen() {
    vak.hidden = true;
    if (klok) {
      window.clearInterval(klok);
      klok = null;
    }
  }

  function plannen(resterend, verlengbaar) {
    einde = Date.now() + resterend * 1000;
    window.clearTimeout(wachter);
    var tot = resterend - waarschuwing;
    if (tot > 0) {
      verbergen();
      // Another tab may have been active meanwhile: ask again then.
      wachter = window.setTimeout(vragen, tot * 1000);
    } else {
      tonen(verlengbaar);
    }
  }

  // Anything but the status (the login page, a refused request) means the
  // session is over; a network error only that the server could not be
  // reached, and the page stays as it is until the next try.
  var GEEN_STATUS = "geen sessiestatus";

  function antwoord(respons) {
    var type = respons.headers.get("Content-Type") || "";
    if (!respons.ok || type.indexOf("application/json") !== 0) {
      throw new Error(GEEN_STATUS);
    }
    return respons.json();
  }

  function mislukt(fout) {
    if (fout && fout.message === GEEN_STATUS) {
      weg();
    } else {
      window.clearTimeout(wachter);
      wachter = window.setTimeout(vragen, 10000);
    }
  }

  function toepassen(data) {
    if (!data.aangemeld) {
      weg();
      return;
    }
    plannen(data.resterend, data.verlengbaar);
  }

  function vragen() {
    fetch(vak.dataset.statusUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(antwoord)
      .then(toepassen)
      .catch(mislukt);
  }

  knop.addEventListener("click", function () {
    knop.disabled = true;
    fetch(vak.dataset.verlengenUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    })
      .then(antwoord)
      .then(toepassen)
      .catch(mislukt)
      .finally(function () {
        knop.disabled = false;
      });
  });

  plannen(Number(vak.dataset.resterend) || 0, vak.dataset.verlengbaar === "1");
})();
