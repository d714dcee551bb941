// The review page's workspace. Everything works without this file (plain anchors and POSTs; the
// decision buttons lead to their own form pages). With it:
// - a marker or a quoted sentence moves the keyboard focus where it leads;
// - the keys listed in the help dialog (key ?, editorial/templates/admin/editorial/answer/_keys_help.html);
// - the decision buttons that ask for a signature or a reason open that form in a <dialog>;
// - after a verdict saved without a reload (htmx, configured in _workspace_scripts.html), the focus
//   moves on to the next unchecked card, or to the Approve button once every card is checked.
// No inline handler and no eval: the CSP allows neither.
(() => {
  const CARDS = ".evidence-card";
  let current = null; // the card the keys act on
  let advanceFrom = null; // the id of a card whose verdict is being saved: move on once it is

  const cards = () => Array.from(document.querySelectorAll(CARDS));

  function setCurrent(card, { focus = true } = {}) {
    if (!card) return;
    if (current && current !== card) current.classList.remove("current");
    current = card;
    card.classList.add("current");
    if (focus) {
      card.focus({ preventScroll: true });
      card.scrollIntoView({ block: "nearest" });
    }
  }

  function currentCard() {
    if (current && document.contains(current)) return current;
    const all = cards();
    return all.find((card) => !card.classList.contains("checked")) || all[0] || null;
  }

  function move(step) {
    const all = cards();
    if (!all.length) return;
    const at = all.indexOf(currentCard());
    setCurrent(all[Math.min(all.length - 1, Math.max(0, at + step))]);
  }

  function nextUnchecked(after) {
    const all = cards();
    const at = all.indexOf(after);
    const rest = [...all.slice(at + 1), ...all.slice(0, Math.max(at, 0))];
    return rest.find((card) => !card.classList.contains("checked")) || null;
  }

  function verdict(n) {
    const card = currentCard();
    const form = card && card.querySelector("form.verdict-form");
    if (!form) return;
    const choice = form.querySelectorAll("input[name=verdict]")[n - 1];
    if (!choice) return;
    choice.checked = true;
    setCurrent(card, { focus: false });
    advanceFrom = card.id;
    form.requestSubmit(); // htmx posts it; without htmx, a plain POST
  }

  function focusField(field) {
    if (!field) return;
    field.focus();
    field.scrollIntoView({ block: "nearest" });
  }

  function openDialog(id) {
    const dialog = document.getElementById(id);
    if (!dialog || dialog.open || typeof dialog.showModal !== "function") return false;
    dialog.showModal();
    const first = dialog.querySelector("input:not([type=hidden]), textarea, select");
    if (first) first.focus();
    return true;
  }

  function clickDecision(key) {
    const button = document.querySelector(`#decision button[aria-keyshortcuts="${key}"]`);
    if (button) button.click();
  }

  const KEYS = {
    j: () => move(1),
    k: () => move(-1),
    1: () => verdict(1),
    2: () => verdict(2),
    3: () => verdict(3),
    n: () => {
      const card = currentCard();
      if (card) setCurrent(card, { focus: false });
      focusField(card && card.querySelector("textarea[name=note]"));
    },
    c: () => focusField(document.querySelector("#comment-form textarea")),
    a: () => clickDecision("a"),
    r: () => clickDecision("r"),
    "?": () => openDialog("keys-help"),
  };

  // A field that takes typed text (a radio, a checkbox or a button does not).
  const NOT_TYPED = /^(radio|checkbox|button|submit|reset|image)$/;
  const typing = (el) =>
    !!el &&
    (el.isContentEditable ||
      /^(TEXTAREA|SELECT)$/.test(el.tagName) ||
      (el.tagName === "INPUT" && !NOT_TYPED.test(el.type)));

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]")) return; // a dialog has the keyboard (Esc closes it)
    if (typing(event.target)) {
      // Esc leaves a note or the comment box, back to the card, so the keys work again.
      if (event.key === "Escape" && event.target.closest(`${CARDS}, #comment-form`)) {
        event.preventDefault();
        const card = event.target.closest(CARDS) || currentCard();
        if (card) setCurrent(card);
        else event.target.blur();
      }
      return;
    }
    const act = KEYS[event.key];
    if (!act || !document.getElementById("workspace")) return;
    event.preventDefault();
    act();
  });

  // A marker in the draft or a quoted sentence: the focus follows the link, so the next Tab continues there.
  document.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-dialog]");
    if (opener && openDialog(opener.dataset.dialog)) {
      event.preventDefault(); // without script the button posts and leads to the decision's form page
      return;
    }
    const link = event.target.closest("a.cite, a.to-draft");
    if (!link || !link.hash) return;
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    const focusable = target.matches("sup") ? target.querySelector("a") : target;
    if (focusable) requestAnimationFrame(() => focusable.focus({ preventScroll: true }));
  });

  document.addEventListener("focusin", (event) => {
    const card = event.target.closest && event.target.closest(CARDS);
    if (card) setCurrent(card, { focus: false });
  });

  // A verdict saved: the card came back from the server. Move on to the next unchecked card,
  // or to the Approve button once none is left; stay on a card that shows a refusal.
  document.addEventListener("htmx:afterSettle", () => {
    if (!advanceFrom) return;
    const card = document.getElementById(advanceFrom);
    advanceFrom = null;
    if (!card) return;
    // The reviewer moved on into a field (the comment box, another note) while it saved:
    // leave the focus there, or the next keys typed would land on the cards as shortcuts.
    const active = document.activeElement;
    if (typing(active) && !card.contains(active)) return;
    if (!card.classList.contains("checked") || card.querySelector(".errornote")) {
      setCurrent(card);
      return;
    }
    const next = nextUnchecked(card);
    if (next) {
      setCurrent(next);
      return;
    }
    setCurrent(card, { focus: false });
    const approve = document.querySelector('#decision button[aria-keyshortcuts="a"]');
    if (approve) approve.focus();
  });

  // A verdict submitted with the mouse (its button) moves on the same way.
  document.addEventListener("submit", (event) => {
    const card = event.target.closest && event.target.closest(CARDS);
    if (card && event.target.matches("form.verdict-form")) advanceFrom = card.id;
  });

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".keys-help-button[hidden]").forEach((button) => {
      button.hidden = false; // the keys need this file: show their help only with it
    });
    const card = currentCard();
    if (card) setCurrent(card, { focus: false });
  });
})();
