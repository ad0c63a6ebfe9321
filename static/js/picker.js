/* Participant pickers (secretariat/widgets.py): the list of checkboxes the page sends gets a
   filter box, and the chosen participants show as chips in the order they were chosen.
   The chosen checkboxes stay real, checked inputs, moved (in that order) into the list of
   chips, so the form submits them in that order: no hidden copies to keep in step. A click
   or a key toggles one participant at a time; nothing clears the whole choice at once.
   Loaded as a file (the Content-Security-Policy forbids inline scripts); without it the
   list of checkboxes works alone. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enhance(picker) {
    if (picker.classList.contains("picker--enhanced")) return;
    picker.classList.add("picker--enhanced");
    var filter = picker.querySelector(".picker__filter");
    var chosen = picker.querySelector("[data-picker-chosen]");
    var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-picker-group]"));
    var status = document.createElement("span");
    status.className = "picker__status";
    status.setAttribute("aria-live", "polite");
    picker.appendChild(status);
    filter.hidden = false;
    picker.querySelector(".picker__keys").hidden = false;

    function box(li) { return li.querySelector("input[type=checkbox]"); }
    function name(li) { return li.querySelector("label").textContent.trim(); }
    // The page's words, in its language (picker.html); "{name}" stands for the participant.
    function say(key, fallback, li) {
      return (picker.dataset[key] || fallback).replace("{name}", name(li));
    }
    function options() {
      return groups.reduce(function (all, list) {
        return all.concat(Array.prototype.slice.call(list.children));
      }, []);
    }
    function shown() { return options().filter(function (li) { return !li.hidden; }); }

    function asChip(li) {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "picker__remove";
      remove.setAttribute("aria-label", say("sayRemove", "Remove {name}", li));
      remove.textContent = "×";
      li.appendChild(remove);
      box(li).tabIndex = -1;
    }
    function asOption(li) {
      var remove = li.querySelector(".picker__remove");
      if (remove) remove.remove();
      box(li).removeAttribute("tabindex");
    }

    function applyFilter() {
      var wanted = fold(filter.value.trim());
      groups.forEach(function (list) {
        var any = false;
        Array.prototype.forEach.call(list.children, function (li) {
          li.hidden = wanted !== "" && fold(name(li)).indexOf(wanted) === -1;
          any = any || !li.hidden;
        });
        var heading = list.previousElementSibling;
        if (heading && heading.classList.contains("picker__group")) heading.hidden = !any;
      });
    }

    function choose(li) {
      box(li).checked = true;
      chosen.appendChild(li);
      li.hidden = false;
      asChip(li);
      status.textContent = say("sayAdded", "{name} added", li);
      applyFilter();  // a group left with no match loses its heading
    }
    function unchoose(li) {
      box(li).checked = false;
      asOption(li);
      var list = groups[Number(li.dataset.group)] || groups[0];
      var place = Number(li.dataset.place);
      var before = Array.prototype.find.call(list.children, function (other) {
        return Number(other.dataset.place) > place;
      });
      list.insertBefore(li, before || null);
      status.textContent = say("sayRemoved", "{name} removed", li);
      applyFilter();
    }

    chosen.querySelectorAll("li").forEach(asChip);

    picker.addEventListener("change", function (event) {
      var li = event.target.closest("li");
      if (!li || event.target.type !== "checkbox") return;
      if (chosen.contains(li)) {
        if (!event.target.checked) unchoose(li);
        return;
      }
      if (!event.target.checked) return;
      var list = shown();
      var next = list[list.indexOf(li) + 1];
      choose(li);
      (next ? box(next) : filter).focus();
    });

    picker.addEventListener("click", function (event) {
      var remove = event.target.closest(".picker__remove");
      if (remove) {
        unchoose(remove.closest("li"));
        filter.focus();
        return;
      }
      // A chip is removed with its button only: a stray click on its name keeps it.
      if (chosen.contains(event.target) && event.target.closest("label")) event.preventDefault();
    });

    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      var list = shown();
      if (event.key === "Enter") {
        event.preventDefault();  // adds a participant, never submits the form half-chosen
        if (list.length) {
          choose(list[0]);
          filter.value = "";
          applyFilter();
        }
      } else if (event.key === "ArrowDown" && list.length) {
        event.preventDefault();
        box(list[0]).focus();
      } else if (event.key === "Backspace" && filter.value === "" && chosen.lastElementChild) {
        event.preventDefault();
        unchoose(chosen.lastElementChild);
      } else if (event.key === "Escape" && filter.value !== "") {
        event.preventDefault();
        filter.value = "";
        applyFilter();
      }
    });

    picker.querySelector(".picker__options").addEventListener("keydown", function (event) {
      var li = event.target.closest("li");
      if (!li || event.target.type !== "checkbox") return;
      var list = shown();
      var at = list.indexOf(li);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var to = list[at + (event.key === "ArrowDown" ? 1 : -1)];
        (to ? box(to) : filter).focus();
      } else if (event.key === "Enter") {
        event.preventDefault();
        event.target.click();
      }
    });

    chosen.addEventListener("keydown", function (event) {
      if ((event.key === "Backspace" || event.key === "Delete") && event.target.closest(".picker__remove")) {
        event.preventDefault();
        unchoose(event.target.closest("li"));
        filter.focus();
      }
    });
  }

  function enhanceAll(root) {
    if (root.matches && root.matches("[data-picker]")) enhance(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-picker]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  // Forms htmx swaps in (a refused save, a row's editor) are enhanced as they arrive.
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
