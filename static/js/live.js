/* Live coverage on the reader's page (templates/articles/includes/live_coverage.html).
   Entries are rendered by the server, so the page reads without this script; with it:
   - the page polls the coverage's small cached endpoint (data-poll-url) as often as the
     server says (its "interval"), revalidating with the ETag (a 304 costs almost nothing);
   - new entries wait behind a polite "New entries: N" button instead of moving the text
     under the reader's eyes; edited entries change in place, deleted ones leave;
   - polling stops when the coverage ends, pauses while the tab is hidden, and resumes when
     it is shown again;
   - "Load more entries" appends the next entries without leaving the page.
   docs/live-and-corrections.md describes the protocol. */
(function () {
  "use strict";
  var section = document.querySelector(".live[data-poll-url]");
  if (!section || !window.fetch) return;
  var list = section.querySelector("[data-live-entries]");
  var button = section.querySelector(".live__new");
  var keyEvents = section.querySelector("[data-live-key-events]");
  var pinnedBox = section.querySelector("[data-live-pinned]");
  var interval = seconds(section.dataset.interval);
  var version = section.dataset.version;
  var stopped = section.dataset.state !== "live";
  var pending = new Map();
  var extras = null;
  var stale = false;
  var timer = null;
  var busy = false;

  function seconds(value) {
    return Math.max(5, parseInt(value, 10) || 15) * 1000;
  }
  function localDigits(number) {
    // The site's digits (NEWSROOM_ARABIC_INDIC_DIGITS), as the template wrote 0 to 9.
    var digits = section.dataset.digits || "0123456789";
    return String(number).replace(/[0-9]/g, function (d) {
      return digits.charAt(Number(d));
    });
  }
  function time(value) {
    return Date.parse(value) || 0;
  }
  function element(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return holder.content.firstElementChild;
  }
  function shown(id) {
    return list.querySelector('.live-entry[data-id="' + id + '"]');
  }
  function newestShown() {
    var first = list.querySelector(".live-entry");
    return first ? time(first.dataset.posted) : 0;
  }

  function schedule() {
    clearTimeout(timer);
    timer = stopped || document.hidden ? null : setTimeout(poll, interval);
  }

  function poll() {
    timer = null;
    if (busy) return;
    busy = true;
    fetch(section.dataset.pollUrl, {
      cache: "no-cache",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (response.status === 404) {
          stopped = true; // the story is no longer public
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) apply(data);
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        schedule();
      });
  }

  function apply(data) {
    interval = seconds(data.interval);
    if (data.since && time(data.since) > time(version)) stale = true; // missed some changes
    var changed = data.version !== version;
    version = data.version;
    data.removed.forEach(function (id) {
      var entry = shown(id);
      if (entry) entry.remove();
      pending.delete(String(id));
    });
    var newest = newestShown();
    if (data.older && time(data.older) > newest) stale = true; // entries in between not sent
    data.entries.forEach(function (item) {
      var entry = shown(item.id);
      if (entry) {
        if (time(entry.dataset.updated) !== time(item.updated)) entry.replaceWith(element(item.html));
      } else if (pending.has(String(item.id)) || time(item.posted) > newest) {
        pending.set(String(item.id), item);
      }
    });
    if (changed) extras = { keyEvents: data.key_events, pinned: data.pinned };
    if (!pending.size) applyExtras();
    if (data.state !== "live") end();
    updateButton();
  }

  function applyExtras() {
    if (!extras) return;
    if (keyEvents) keyEvents.innerHTML = extras.keyEvents;
    if (pinnedBox) pinnedBox.innerHTML = extras.pinned;
    extras = null;
  }

  function end() {
    stopped = true;
    clearTimeout(timer);
    timer = null;
    section.dataset.state = "ended";
    var state = section.querySelector("[data-live-state]");
    var text = section.querySelector("template[data-ended-text]");
    if (state && text) state.textContent = text.content.textContent;
  }

  function updateButton() {
    if (stale) {
      button.textContent = button.dataset.reloadLabel;
    } else if (pending.size) {
      button.textContent = button.dataset.label.replace("__N__", localDigits(pending.size));
    }
    button.hidden = !(stale || pending.size);
  }

  function showPending() {
    if (stale) {
      window.location.reload();
      return;
    }
    var items = Array.from(pending.values()).sort(function (a, b) {
      return time(b.posted) - time(a.posted) || b.id - a.id;
    });
    var fragment = document.createDocumentFragment();
    items.forEach(function (item) {
      fragment.appendChild(element(item.html));
    });
    var empty = list.querySelector(".live__empty");
    if (empty) empty.remove();
    list.insertBefore(fragment, list.firstChild);
    pending.clear();
    applyExtras();
    updateButton();
    var first = list.querySelector(".live-entry");
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  }

  function loadMore(link) {
    return fetch(link.dataset.moreUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        var holder = document.createElement("template");
        holder.innerHTML = data.html;
        Array.from(holder.content.children).forEach(function (entry) {
          if (!shown(entry.dataset.id)) list.appendChild(entry);
        });
        if (data.next) {
          link.dataset.moreUrl = data.next;
        } else {
          link.parentNode.remove();
        }
        return Boolean(data.next);
      });
  }

  section.addEventListener("click", function (event) {
    var more = event.target.closest(".live__more");
    if (more && more.dataset.moreUrl) {
      event.preventDefault();
      loadMore(more).catch(function () {
        window.location.href = more.href; // the page's own "next page" still works
      });
      return;
    }
    // A key event older than the entries shown: load more until it is there.
    var key = event.target.closest("a[data-entry]");
    if (key && !shown(key.dataset.entry)) {
      event.preventDefault();
      var rounds = 0;
      (function next() {
        var link = section.querySelector(".live__more");
        if (shown(key.dataset.entry) || !link || rounds++ > 60) {
          var target = shown(key.dataset.entry);
          if (target) {
            target.setAttribute("tabindex", "-1");
            target.focus();
          }
          return;
        }
        loadMore(link).then(next, function () {});
      })();
    }
  });
  button.addEventListener("click", showPending);

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else if (!stopped && !timer) {
      poll();
    }
  });

  // Only the first page shows the newest entries; older pages have nothing to add at the top.
  if (section.dataset.page === "1") schedule();
})();
