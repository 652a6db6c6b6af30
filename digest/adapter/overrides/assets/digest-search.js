// newsdigest: what the header's search box (Pagefind's <pagefind-searchbox>, see
// partials/digest-search.html) does beyond Pagefind's own combobox:
// - gives its input an accessible name (a placeholder disappears as one types);
// - a result count and topic and source filters (Pagefind filters, native <select>s,
//   so keyboard and screen readers work as usual) at the top of the drop-down; Tab from
//   the input goes to them instead of closing the results;
// - highlights the searched words on the page a result opens (?pagefind-highlight=...,
//   which the partial's <pagefind-config highlight-param> adds to result links), with
//   Pagefind's own pagefind-highlight.js;
// - at file://, where Pagefind cannot load its index, says that search needs HTTP.
// - merges the article shards that pagefind/digest-bundles.js lists (window.ndSearchBundles,
//   written by digest/pages/searchshards.py) into the box's one Pagefind instance, with
//   Pagefind's mergeIndex: one result list, one set of filters;
// Every word shown comes from the partial's data-nd-messages.
// Besides the Component UI's instance API (box.instance: on, triggerFilters), this reads the
// searchbox's inputEl, isOpen and closeDropdown(), and sets the instance's options.mergeIndex
// (what configureInstance sets, which is ignored once the box has made the instance; it is
// read when the first search loads the index), as Pagefind 1.5 names them; pyproject.toml
// pins pagefind below 2, and tests/test_browser.py drives every one of them.
(() => {
  const script = document.currentScript;
  const HIGHLIGHT = "pagefind-highlight";
  const FILTERS = [["topic", "filter_topic"], ["source", "filter_source"]];

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));

  function highlight() {
    if (!new URLSearchParams(window.location.search).getAll(HIGHLIGHT).length || !script) return;
    const module = new URL("../pagefind/pagefind-highlight.js", script.src).href;
    import(module).then(({ default: PagefindHighlight }) => {
      const content = document.querySelector(".md-content") || document.body;
      new PagefindHighlight({
        highlightParam: HIGHLIGHT, markContext: content, addStyles: false,
        markOptions: { className: "pagefind-highlight", exclude: [".nd-search", ".nd-search *"] },
      });
    }).catch(() => {});      // a missing bundle only loses the highlight
  }

  function offline(nd, box, messages) {
    const note = document.createElement("p");
    note.className = "nd-search-offline";
    note.textContent = messages.needs_http;
    box.replaceWith(note);
    nd.querySelector("pagefind-config")?.remove();
  }

  function merge(nd, box) {
    const bundles = window.ndSearchBundles, options = box.instance.options;
    if (!Array.isArray(bundles) || !bundles.length || !options) return;
    const main = new URL(options.bundlePath || "/pagefind/", window.location.href);
    // Each merged index takes its own options: the same highlight parameter as the main one.
    const param = nd.querySelector("pagefind-config")?.getAttribute("highlight-param");
    options.mergeIndex = bundles.map((path) => ({
      bundlePath: new URL(path, main).pathname, ...(param ? { highlightParam: param } : {}),
    }));
  }

  function tools(nd, box, messages) {
    const instance = box.instance;
    const bar = document.createElement("div");
    bar.className = "nd-search-tools";
    const count = document.createElement("span");
    count.className = "nd-search-count";
    bar.append(count);
    const selects = {};
    for (const [name, key] of FILTERS) {
      const label = document.createElement("label");
      label.className = "nd-search-filter";
      const caption = document.createElement("span");
      caption.textContent = messages[key];
      const select = document.createElement("select");
      select.name = name;
      select.append(new Option(messages.all, ""));
      select.addEventListener("change", () => {
        const chosen = {};
        for (const [n] of FILTERS) if (selects[n].value) chosen[n] = selects[n].value;
        instance.triggerFilters(chosen);
      });
      label.append(caption, select);
      bar.append(label);
      selects[name] = select;
    }
    bar.hidden = true;     // until the index has filters, so no empty controls are shown

    const place = () => {  // Pagefind rebuilds its drop-down when its language changes
      const dropdown = box.querySelector(".pf-searchbox-dropdown");
      if (dropdown && bar.parentNode !== dropdown) dropdown.prepend(bar);
    };
    place();
    new MutationObserver(place).observe(box, { childList: true });

    instance.on("filters", ({ total }) => {
      let any = false;
      for (const [name] of FILTERS) {
        const select = selects[name], values = Object.keys((total || {})[name] || {});
        values.sort((a, b) => a.localeCompare(b));
        const keep = select.value;
        select.length = 1;
        for (const value of values) select.append(new Option(value, value));
        select.value = values.includes(keep) ? keep : "";
        select.closest("label").hidden = values.length === 0;
        any = any || values.length > 0;
      }
      bar.hidden = !any;
    });
    instance.on("loading", () => { count.textContent = messages.loading; });
    instance.on("results", (found) => {
      const n = found && found.results ? found.results.length : 0;
      count.textContent = n === 0 ? fill(messages.no_results, { query: box.inputEl ? box.inputEl.value : "" })
        : fill(n === 1 ? messages.results_one : messages.results_other, { n });
    });

    // Tab from the input moves to the filters, rather than letting Pagefind close the results.
    nd.addEventListener("keydown", (event) => {
      if (event.key === "Tab" && !event.shiftKey && event.target === box.inputEl && box.isOpen && !bar.hidden) {
        event.stopPropagation();
      }
      if (event.key === "Escape" && bar.contains(event.target)) {
        event.preventDefault();
        box.closeDropdown();
        box.inputEl.focus();
      }
    }, true);
    nd.addEventListener("focusout", (event) => {
      if (!nd.contains(event.relatedTarget) && box.isOpen) box.closeDropdown();
    });
  }

  const nd = document.querySelector(".nd-search");
  const box = nd && nd.querySelector("pagefind-searchbox");
  if (box) {
    let messages = {};
    try { messages = JSON.parse(nd.dataset.ndMessages || "{}"); } catch (error) { messages = {}; }
    if (window.location.protocol === "file:") {
      offline(nd, box, messages);
    } else {
      const input = box.querySelector("input");
      if (input) input.setAttribute("aria-label", box.dataset.ndLabel || messages.label || "");
      if (box.instance) {
        merge(nd, box);
        tools(nd, box, messages);
      }
    }
  }
  highlight();
})();
