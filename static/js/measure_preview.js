// The admin's measure form: "预览" asks the server for the values of the measure as now
// filled in (nothing is saved) and shows them under the button.
(function () {
  "use strict";
  const button = document.getElementById("measure-preview-button");
  const target = document.getElementById("measure-preview");
  if (!button || !target) return;
  button.addEventListener("click", function () {
    const form = button.closest("form");
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") params.append(name, value);
    }
    target.textContent = "…";
    fetch(button.dataset.url + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) { target.innerHTML = html; })
      .catch(function () { target.textContent = "—"; });
  });
})();
