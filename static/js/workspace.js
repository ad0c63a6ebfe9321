/* The secretariat workspace: drag-and-drop ordering, confirmations, keeping focus where the
   user was after htmx swaps a list. Loaded as a file: the Content-Security-Policy forbids
   inline scripts. Everything also works without it (plain forms and redirects). */
(function () {
  "use strict";

  // Ask before deleting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Leaving a page with unsaved input asks first. Unsaved is a field whose value differs
  // from the one the page was loaded (or its form last saved) with, or a form the server sent
  // back unsaved (refused, or in conflict with someone else's save: it carries data-unsaved).
  // The form being submitted is not lost, so it does not count.
  var submitting = null;
  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("hx-post")) submitting = event.target;
  });
  function changed(field) {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") {
      var options = Array.prototype.slice.call(field.options);
      if (field.multiple) return options.some(function (o) { return o.selected !== o.defaultSelected; });
      var initial = options.findIndex(function (o) { return o.defaultSelected; });
      return field.selectedIndex !== (initial === -1 && field.size <= 1 ? 0 : initial);
    }
    return field.value !== field.defaultValue;
  }
  function unsaved(form) {
    if (form === submitting) return false;
    if (form.matches("[data-unsaved]") || form.querySelector("[data-unsaved]")) return true;
    return Array.prototype.some.call(form.elements, function (field) {
      // A field without a name (a picker's filter box) is never sent, so never lost.
      var ignored = !field.name || ["hidden", "submit", "button", "reset"].indexOf(field.type) !== -1;
      return !ignored && !field.disabled && changed(field);
    });
  }
  window.addEventListener("beforeunload", function (event) {
    var main = document.querySelector("main");
    var losing = main && Array.prototype.some.call(main.querySelectorAll("form"), unsaved);
    submitting = null;  // if the user stays, that form's input counts again
    if (!losing) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // A refused row or form (400) or a conflict (409) comes back with its messages: show them
  // in place, as a full page load would.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A row saved by htmx (attendance) is replaced by the stored row when the server answers.
  // Whatever the user changed in it while the save was on its way (a headcount typed just
  // after ticking the box) must not vanish with it: it is put into the new row, which carries
  // the new version, and saved in turn. Changes made meanwhile are not sent on their own
  // (hx-sync drops them), so they cannot be refused as stale against the user's own save.
  function values(row) {
    var out = {};
    row.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (!field.name || field.type === "hidden") return;
      if (field.type === "checkbox") out[field.name] = field.checked;
      else if (field.multiple) out[field.name] = Array.prototype.map.call(field.selectedOptions, function (o) { return o.value; }).join("\n");
      else out[field.name] = field.value;
    });
    return out;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  var pending = {};
  document.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.detail.elt;
    if (row.hasAttribute && row.hasAttribute("data-keeps-input")) row._sent = values(row);
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var row = event.detail.target;
    if (!row.hasAttribute || !row.hasAttribute("data-keeps-input") || !row._sent) return;
    var now = values(row);
    if (!same(now, row._sent)) pending[row.id] = now;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    Object.keys(pending).forEach(function (id) {
      var row = document.getElementById(id);
      if (!row) return;
      var wanted = pending[id];
      delete pending[id];
      row.querySelectorAll("input, select, textarea").forEach(function (field) {
        if (!(field.name in wanted)) return;
        if (field.type === "checkbox") field.checked = wanted[field.name];
        else if (field.multiple) {
          var chosen = wanted[field.name].split("\n");
          Array.prototype.forEach.call(field.options, function (o) { o.selected = chosen.indexOf(o.value) !== -1; });
        } else field.value = wanted[field.name];
      });
      htmx.trigger(row, "change");
    });
  });

  // After a move or reorder the list is replaced; put the focus back on the button that was
  // used (or its neighbour, when it became disabled at the top or bottom of the list).
  var lastFocused = null;
  document.addEventListener("htmx:beforeRequest", function () {
    lastFocused = document.activeElement && document.activeElement.id;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!lastFocused) return;
    var element = document.getElementById(lastFocused);
    if (element && element.disabled) {
      var other = lastFocused.indexOf("up-") === 0 ? lastFocused.replace("up-", "down-") : lastFocused.replace("down-", "up-");
      element = document.getElementById(other);
    }
    if (element) element.focus();
  });

  // Drag and drop within one list; the new order is sent through the list's order form.
  var dragged = null;
  function sortableItem(target) {
    var item = target.closest && target.closest("ol.ws-sortable > li[data-id]");
    return item && dragged && item.parentNode === dragged.parentNode ? item : null;
  }
  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("ol.ws-sortable > li[data-id]");
    if (!item) return;
    event.stopPropagation();
    dragged = item;
    item.classList.add("ws-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.id);
  });
  document.addEventListener("dragover", function (event) {
    var item = sortableItem(event.target);
    if (!item) return;
    event.preventDefault();
    if (item === dragged) return;
    var box = item.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    item.parentNode.insertBefore(dragged, after ? item.nextSibling : item);
  });
  document.addEventListener("drop", function (event) {
    if (sortableItem(event.target)) event.preventDefault();
  });
  document.addEventListener("dragend", function () {
    if (!dragged) return;
    var list = dragged.parentNode;
    dragged.classList.remove("ws-dragging");
    dragged = null;
    var form = document.getElementById(list.dataset.orderForm);
    if (!form) return;
    var ids = [];
    list.querySelectorAll(":scope > li[data-id]").forEach(function (li) { ids.push(li.dataset.id); });
    form.elements.ids.value = ids.join(",");
    form.requestSubmit();
  });
})();
