// Behaviour without inline script (the Content-Security-Policy forbids it).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.classList && el.classList.contains("autosubmit") && el.form) {
    el.form.submit();
  }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
// Organisation tree: the first click on "▸ N" loads the children (htmx, hx-trigger="click once");
// every click opens or closes the list. Without htmx the link simply opens the node's page.
document.addEventListener("click", function (event) {
  var toggle = event.target.closest ? event.target.closest(".tree-toggle") : null;
  if (!toggle || !window.htmx) {
    return;
  }
  event.preventDefault();
  var list = document.getElementById(toggle.getAttribute("aria-controls"));
  if (!list) {
    return;
  }
  var expanded = toggle.getAttribute("aria-expanded") === "true";
  toggle.setAttribute("aria-expanded", expanded ? "false" : "true");
  list.hidden = expanded;
});
