/* The whymiss HTML report: draws the action graph and shows an action's inputs side by side.
 *
 * Plain JavaScript, no library and nothing loaded from anywhere: everything comes from the page
 * model that whymiss embeds as JSON in #whymiss-data (src/report/html/view.rs describes it).
 * The summary above the graph is HTML and needs none of this.
 *
 * Layout: a layered drawing in dependency order. Each visible item (an action, or a folded
 * group of them) sits one column right of its furthest dependency; within a column, items are
 * ordered by the mean position of their neighbours (a few sweeps), which keeps edges short.
 * Folded groups (the standard library; unchanged actions of a large build) count as one item.
 */
"use strict";

(() => {
  const MODEL_VERSION = 1;
  const COL = 272; // column pitch: node width + room for edges
  const ROW = 32; // row pitch
  const PAD = 16;
  const NODE_W = 236;
  const NODE_H = 26;

  const $ = (id) => document.getElementById(id);
  const dataElement = $("whymiss-data");
  const app = $("graph-app");
  if (!dataElement || !app) return;
  const started = performance.now();
  const page = JSON.parse(dataElement.textContent);
  const status = $("graph-status");
  if (page.version !== MODEL_VERSION) {
    app.hidden = false;
    status.textContent = "This page's data has another version than its script expects.";
    return;
  }
  document.documentElement.classList.add("js");
  app.hidden = false;

  const g = page.graph;
  const nodes = g.nodes;
  const N = nodes.length;
  const causes = page.comparison ? page.comparison.causes : [];
  const twoSides = g.sides.length === 2;
  const legendIndex = new Map(g.legend.map((l, i) => [l.status, i]));
  const statusLabel = new Map(g.legend.map((l) => [l.status, l.label]));

  // ---- the graph's fixed facts ----

  const dependents = Array.from({ length: N }, () => []);
  const effects = Array.from({ length: N }, () => []); // reverse of caused_by
  for (let i = 0; i < N; i++) {
    for (const d of nodes[i].deps) dependents[d].push(i);
    for (const d of nodes[i].caused_by || []) effects[d].push(i);
  }

  /** The package or name of a node: its label without the kind word. */
  const subjectOf = (label) => {
    const space = label.indexOf(" ");
    return space < 0 ? label : label.slice(space + 1);
  };

  // Names are shown without the directory all non-standard packages share (the module path).
  const commonDir = (() => {
    let prefix = null;
    for (const n of nodes) {
      if (n.group !== undefined && g.groups[n.group].name === "std") continue;
      const s = subjectOf(n.label);
      if (prefix === null) {
        prefix = s;
      } else {
        let k = 0;
        while (k < prefix.length && k < s.length && prefix[k] === s[k]) k++;
        prefix = prefix.slice(0, k);
      }
    }
    if (!prefix) return "";
    const slash = prefix.lastIndexOf("/");
    return slash < 0 ? "" : prefix.slice(0, slash + 1);
  })();
  const shortNames = nodes.map((n) => {
    const s = subjectOf(n.label);
    return commonDir && s.startsWith(commonDir) ? s.slice(commonDir.length) : s;
  });
  const shortName = (i) => shortNames[i];

  const groupMembers = g.groups.map(() => []);
  nodes.forEach((n, i) => {
    if (n.group !== undefined) groupMembers[n.group].push(i);
  });
  const collapsed = g.groups.map((gr, k) => gr.collapsed && groupMembers[k].length > 0);

  const fmt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const plural = (n, word) => `${fmt(n)} ${word}${n === 1 ? "" : "s"}`;

  // ---- the visible graph: items, their edges, columns and positions ----

  let view = null; // {items, rep, deps, users, cause, layer, columns, x, y, width, height}

  function buildView() {
    const rep = new Int32Array(N);
    const items = [];
    const groupItem = new Map();
    for (let i = 0; i < N; i++) {
      const k = nodes[i].group;
      if (k !== undefined && collapsed[k]) {
        let it = groupItem.get(k);
        if (it === undefined) {
          it = items.length;
          groupItem.set(k, it);
          items.push({ group: k, members: groupMembers[k] });
        }
        rep[i] = it;
      } else {
        rep[i] = items.length;
        items.push({ node: i });
      }
    }
    const M = items.length;
    const edges = (listOf) => {
      const out = Array.from({ length: M }, () => []);
      const seen = new Set();
      for (let i = 0; i < N; i++) {
        const a = rep[i];
        for (const d of listOf(i)) {
          const b = rep[d];
          if (a === b) continue;
          const key = a * M + b;
          if (seen.has(key)) continue;
          seen.add(key);
          out[a].push(b);
        }
      }
      return out;
    };
    const deps = edges((i) => nodes[i].deps);
    const cause = edges((i) => nodes[i].caused_by || []);
    const users = Array.from({ length: M }, () => []);
    for (let a = 0; a < M; a++) for (const b of deps[a]) users[b].push(a);

    // Columns: longest path from the items that depend on nothing (Kahn's algorithm; an
    // item left in a cycle, which folding can make, is placed after its placed dependencies).
    const layer = new Int32Array(M);
    const indegree = new Int32Array(M);
    for (let a = 0; a < M; a++) indegree[a] = deps[a].length;
    const done = new Uint8Array(M);
    const queue = [];
    for (let a = 0; a < M; a++) if (indegree[a] === 0) queue.push(a);
    let head = 0;
    let scan = 0;
    let placed = 0;
    while (placed < M) {
      let x;
      if (head < queue.length) {
        x = queue[head++];
      } else {
        while (done[scan]) scan++;
        x = scan;
        let l = 0;
        for (const d of deps[x]) if (done[d]) l = Math.max(l, layer[d] + 1);
        layer[x] = l;
      }
      if (done[x]) continue;
      done[x] = 1;
      placed++;
      for (const u of users[x]) {
        if (done[u]) continue;
        if (layer[x] + 1 > layer[u]) layer[u] = layer[x] + 1;
        if (--indegree[u] === 0) queue.push(u);
      }
    }

    const columns = [];
    for (let a = 0; a < M; a++) (columns[layer[a]] ||= []).push(a);
    const name = (a) => (items[a].group !== undefined ? "" : shortName(items[a].node));
    for (const column of columns) {
      column.sort((p, q) => {
        const gp = items[p].group !== undefined ? 0 : 1;
        const gq = items[q].group !== undefined ? 0 : 1;
        return gp - gq || (name(p) < name(q) ? -1 : name(p) > name(q) ? 1 : p - q);
      });
    }
    const tallest = columns.reduce((m, c) => Math.max(m, c.length), 0);
    const centre = new Float64Array(M);
    const place = () => {
      for (const column of columns) {
        const offset = (tallest - column.length) / 2;
        column.forEach((a, k) => {
          centre[a] = k + offset;
        });
      }
    };
    place();
    // Barycentre sweeps: right (by dependencies), left (by users), right again.
    const sweep = (order, neighbours) => {
      for (const c of order) {
        const column = columns[c];
        const key = new Map();
        for (const a of column) {
          const list = neighbours[a];
          let sum = 0;
          let n = 0;
          for (const b of list) {
            if (layer[b] !== c) {
              sum += centre[b];
              n++;
            }
          }
          key.set(a, n ? sum / n : centre[a]);
        }
        column.sort((p, q) => key.get(p) - key.get(q) || centre[p] - centre[q]);
        const offset = (tallest - column.length) / 2;
        column.forEach((a, k) => {
          centre[a] = k + offset;
        });
      }
    };
    const forward = columns.map((_, c) => c);
    const backward = forward.slice().reverse();
    if (M <= 6000) {
      sweep(forward.slice(1), deps);
      sweep(backward.slice(1), users);
      sweep(forward.slice(1), deps);
    }
    const x = new Float64Array(M);
    const y = new Float64Array(M);
    for (let a = 0; a < M; a++) {
      x[a] = PAD + layer[a] * COL;
      y[a] = PAD + centre[a] * ROW;
    }
    const columnOf = new Int32Array(M);
    const rowOf = new Int32Array(M);
    columns.forEach((column, c) =>
      column.forEach((a, k) => {
        columnOf[a] = c;
        rowOf[a] = k;
      }),
    );
    return {
      items,
      rep,
      deps,
      users,
      cause,
      columns,
      columnOf,
      rowOf,
      x,
      y,
      width: PAD * 2 + Math.max(0, columns.length - 1) * COL + NODE_W,
      height: PAD * 2 + Math.max(0, tallest - 1) * ROW + NODE_H,
    };
  }

  // ---- drawing ----

  const viewport = $("viewport");
  const canvas = $("canvas");
  const svg = $("edges");
  const [causeLayer, depsPath, highlightPath] = svg.children;
  const SVG = "http://www.w3.org/2000/svg";
  const nodeLayer = document.createElement("div");
  nodeLayer.className = "nodes";
  canvas.appendChild(nodeLayer);
  let elements = []; // item -> button
  // Causal edges, one element each (the renderer then draws only those in view; one path of
  // thousands of curves is redrawn whole for every tile), by `user * items + dependency`.
  let causeEdges = new Map();
  let zoom = 1;
  let selected = -1; // node index
  let focused = -1; // item with tabindex 0

  function itemStatus(a) {
    const it = view.items[a];
    if (it.group === undefined) return nodes[it.node].status;
    let best = null;
    for (const i of it.members) {
      const s = nodes[i].status;
      if (best === null || legendIndex.get(s) < legendIndex.get(best)) best = s;
    }
    return best;
  }

  function statusCounts(members) {
    const counts = new Map();
    for (const i of members) counts.set(nodes[i].status, (counts.get(nodes[i].status) || 0) + 1);
    return g.legend
      .filter((l) => counts.has(l.status))
      .map((l) => `${fmt(counts.get(l.status))} ${l.label}`)
      .join(", ");
  }

  function itemLabel(a) {
    const it = view.items[a];
    if (it.group !== undefined) {
      const gr = g.groups[it.group];
      return `${gr.label}: ${plural(it.members.length, "action")} (${statusCounts(it.members)}), folded; press Enter to unfold`;
    }
    const n = nodes[it.node];
    return `${statusLabel.get(n.status) || n.status}: ${n.label}`;
  }

  function curve(a, b) {
    // From dependency b's right edge to user a's left edge.
    const x1 = view.x[b] + NODE_W;
    const y1 = view.y[b] + NODE_H / 2;
    const x2 = view.x[a];
    const y2 = view.y[a] + NODE_H / 2;
    const dx = Math.max(24, (x2 - x1) / 2);
    return `M${x1} ${y1}C${x1 + dx} ${y1} ${x2 - dx} ${y2} ${x2} ${y2}`;
  }

  function render() {
    const t0 = performance.now();
    view = buildView();
    const M = view.items.length;
    const fragment = document.createDocumentFragment();
    elements = new Array(M);
    for (let a = 0; a < M; a++) {
      const it = view.items[a];
      const b = document.createElement("button");
      b.type = "button";
      b.className = `node st-${itemStatus(a)}${it.group !== undefined ? " group" : ""}`;
      b.tabIndex = -1;
      b.dataset.item = a;
      if (it.node !== undefined) b.dataset.node = it.node;
      b.style.left = `${view.x[a]}px`;
      b.style.top = `${view.y[a]}px`;
      b.setAttribute("aria-label", itemLabel(a));
      const glyph = document.createElement("span");
      glyph.className = "glyph";
      glyph.setAttribute("aria-hidden", "true");
      const kind = document.createElement("span");
      kind.className = "kind";
      const name = document.createElement("span");
      name.className = "name";
      if (it.group !== undefined) {
        b.setAttribute("aria-expanded", "false");
        kind.textContent = "";
        name.textContent = `${g.groups[it.group].label} · ${fmt(it.members.length)}`;
        b.title = `${g.groups[it.group].label}: ${statusCounts(it.members)} (click to unfold)`;
      } else {
        const n = nodes[it.node];
        kind.textContent = n.kind;
        name.textContent = shortName(it.node);
        b.title = n.label;
      }
      b.append(glyph, kind, name);
      elements[a] = b;
      fragment.appendChild(b);
    }
    nodeLayer.replaceChildren(fragment);
    canvas.style.width = `${view.width}px`;
    canvas.style.height = `${view.height}px`;
    svg.setAttribute("width", view.width);
    svg.setAttribute("height", view.height);
    const edgeFragment = document.createDocumentFragment();
    causeEdges = new Map();
    for (let a = 0; a < M; a++) {
      for (const b of view.cause[a]) {
        const path = document.createElementNS(SVG, "path");
        path.setAttribute("d", curve(a, b));
        causeEdges.set(a * M + b, path);
        edgeFragment.appendChild(path);
      }
    }
    causeLayer.replaceChildren(edgeFragment);
    depsPath.setAttribute("d", "");
    highlightPath.setAttribute("d", "");
    canvas.classList.remove("dimmed");
    highlighted = [];
    highlightedEdges = [];
    hoverItem = -1;
    if (selected >= 0) {
      const a = view.rep[selected];
      if (view.items[a].node === selected) elements[a].classList.add("selected");
      drawDeps(a);
    }
    focused = -1;
    setFocusable(selected >= 0 ? view.rep[selected] : firstInteresting());
    updateStatus();
    return performance.now() - t0;
  }

  function firstInteresting() {
    // The first root cause in dependency order, else the first item.
    let best = -1;
    for (let a = 0; a < view.items.length; a++) {
      const s = itemStatus(a);
      if (best < 0 || legendIndex.get(s) < legendIndex.get(itemStatus(best))) best = a;
    }
    return best;
  }

  function updateStatus() {
    const folded = [];
    g.groups.forEach((gr, k) => {
      if (collapsed[k]) folded.push(`${gr.label} (${fmt(groupMembers[k].length)})`);
    });
    const shown = view.items.filter((it) => it.group === undefined).length;
    status.textContent =
      `Showing ${fmt(shown)} of ${plural(N, "action")}` +
      (folded.length ? `; folded: ${folded.join(", ")}.` : ".");
    for (const button of groupButtons) {
      const k = Number(button.dataset.group);
      const gr = g.groups[k];
      button.textContent = `${collapsed[k] ? "Unfold" : "Fold"} ${gr.label} (${fmt(groupMembers[k].length)})`;
    }
  }

  function setFocusable(a) {
    if (focused >= 0 && elements[focused]) elements[focused].tabIndex = -1;
    focused = a;
    if (a >= 0 && elements[a]) elements[a].tabIndex = 0;
  }

  // ---- highlighting the path from a root cause ----

  let highlighted = [];
  let highlightedEdges = [];
  let hoverItem = -1;

  function closure(start, next) {
    const seen = new Set([start]);
    const stack = [start];
    while (stack.length) {
      const i = stack.pop();
      for (const j of next(i)) {
        if (!seen.has(j)) {
          seen.add(j);
          stack.push(j);
        }
      }
    }
    return seen;
  }

  function highlight(a) {
    if (a === hoverItem) return;
    clearHighlight();
    hoverItem = a;
    if (a < 0) return;
    const it = view.items[a];
    const lit = new Set([a]);
    const parts = [];
    const causal = it.node !== undefined && ((nodes[it.node].caused_by || []).length || effects[it.node].length);
    if (causal) {
      // Up to the root causes that reach it, down to what it reaches.
      const up = closure(it.node, (i) => nodes[i].caused_by || []);
      const down = closure(it.node, (i) => effects[i]);
      for (const set of [up, down]) for (const i of set) lit.add(view.rep[i]);
      const M = view.items.length;
      for (const b of lit) {
        for (const c of view.cause[b]) {
          const edge = lit.has(c) ? causeEdges.get(b * M + c) : undefined;
          if (edge) {
            edge.classList.add("hl");
            highlightedEdges.push(edge);
          }
        }
      }
    } else {
      for (const b of view.deps[a]) {
        lit.add(b);
        parts.push(curve(a, b));
      }
      for (const b of view.users[a]) {
        lit.add(b);
        parts.push(curve(b, a));
      }
    }
    canvas.classList.add("dimmed");
    for (const b of lit) elements[b].classList.add("hl");
    highlighted = [...lit];
    highlightPath.setAttribute("d", parts.join(""));
  }

  function clearHighlight() {
    for (const b of highlighted) if (elements[b]) elements[b].classList.remove("hl");
    for (const e of highlightedEdges) e.classList.remove("hl");
    highlighted = [];
    highlightedEdges = [];
    hoverItem = -1;
    canvas.classList.remove("dimmed");
    highlightPath.setAttribute("d", "");
  }

  function drawDeps(a) {
    const parts = [];
    if (a >= 0) {
      for (const b of view.deps[a]) parts.push(curve(a, b));
      for (const b of view.users[a]) parts.push(curve(b, a));
    }
    depsPath.setAttribute("d", parts.join(""));
  }

  // ---- the inputs panel ----

  const panel = $("panel");
  const panelTitle = $("panel-title");
  const panelMeta = $("panel-meta");
  const inputsTable = $("inputs");
  const inputsHead = $("inputs-head");
  const onlyDiff = $("only-diff");

  const text = (t) => document.createTextNode(t);
  const make = (tag, className, ...children) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    for (const c of children) e.append(c);
    return e;
  };
  const fill = (template, subject) =>
    template === null || template === undefined ? null : template.split("{}").join(subject);

  function noteText(noteIndex, subjectIndex) {
    if (noteIndex < 0) return "";
    const n = g.notes[noteIndex];
    const subject = subjectIndex >= 0 ? g.strings[subjectIndex] : "";
    let out = `${fill(n.what, subject)} [${n.origin}`;
    if (n.portability !== "portable") out += `, ${n.portability}`;
    out += "]";
    if (n.knob) out += ` knob: ${fill(n.knob, subject)}`;
    return out;
  }

  function sideTag(k) {
    const tag = make("span", `side-tag side-${k === 0 ? "a" : "b"}`, k === 0 ? "A" : "B");
    tag.title = g.sides[k];
    return tag;
  }

  function valueCell(index) {
    const td = document.createElement("td");
    if (index < 0) {
      td.append(make("span", "absent", "(absent)"));
    } else {
      td.append(make("code", "", g.strings[index]));
    }
    return td;
  }

  /** An input row of the model: `[key, a, b, note a, subject a, note b, subject b, differs]`,
   * without its trailing defaults (view.rs, InputRow). */
  const row = ([key, a, b = -1, na = -1, sa = -1, nb = -1, sb = -1, differs = 0]) => ({
    key,
    a,
    b,
    na,
    sa,
    nb,
    sb,
    differs: differs === 1,
  });

  function openPanel(i) {
    const n = nodes[i];
    selected = i;
    panel.hidden = false;
    panelTitle.textContent = n.label;
    const rows = n.inputs;
    const differing = rows.filter((r) => row(r).differs).length;

    const meta = [];
    const badge = make("span", `badge node st-${n.status}`, make("span", "glyph"), text(statusLabel.get(n.status) || n.status));
    badge.querySelector(".glyph").setAttribute("aria-hidden", "true");
    meta.push(
      make(
        "p",
        "",
        badge,
        text(` ${n.kind} · ${plural(rows.length, "input")}` + (twoSides ? `, ${fmt(differing)} differ` : "")),
      ),
    );
    const ids = n.ids || [];
    if (twoSides && ids[0] && ids[0] === ids[1]) {
      meta.push(make("p", "", text("key on both sides "), make("code", "", ids[0])));
    } else {
      ids.forEach((id, k) => {
        const p = make("p", "");
        if (twoSides) p.append(sideTag(k), text(" "));
        p.append(text("key "), id ? make("code", "", id) : make("span", "absent", "(none)"));
        meta.push(p);
      });
    }
    if (n.unverified) {
      meta.push(make("p", "", text("Not verified: a side's block could not be proven by its SHA-256.")));
    }
    if (n.causes && n.causes.length) {
      const p = make("p", "", text("Its own differences: "));
      n.causes.forEach((c, k) => {
        if (k) p.append(text(", "));
        const cause = causes[c];
        const link = make("a", "", `cause ${c + 1}: ${cause.category} ${cause.field}`);
        link.href = `#cause-${c + 1}`;
        p.append(link);
      });
      meta.push(p);
    }
    if (n.caused_by && n.caused_by.length) {
      const p = make("p", "deps", text("Changed through: "));
      for (const d of n.caused_by) p.append(jumpButton(d));
      meta.push(p);
    }
    meta.push(
      make(
        "p",
        "",
        text(`Depends on ${plural(n.deps.length, "action")}; ${plural(dependents[i].length, "action")} use its output.`),
      ),
    );
    panelMeta.replaceChildren(...meta);

    // The table: key order, differing inputs marked; each input's note on a line of its own
    // below it, so that the values have the panel's width.
    inputsTable.className = `inputs inputs-${twoSides ? 2 : 1}`;
    const colgroup = make("colgroup", "");
    const col = (c) => {
      const e = document.createElement("col");
      e.className = c;
      return e;
    };
    colgroup.append(col("mark"), col("key"), col("value"));
    if (twoSides) colgroup.append(col("value"));
    inputsTable.querySelector("colgroup")?.remove();
    inputsTable.insertBefore(colgroup, inputsHead);
    const head = make("tr", "");
    const th = (content) => {
      const e = make("th", "", content);
      e.scope = "col";
      return e;
    };
    head.append(th(make("span", "visually-hidden", "differs")), th("input"));
    if (twoSides) {
      head.append(th(make("span", "", sideTag(0), text(` ${g.sides[0]}`))));
      head.append(th(make("span", "", sideTag(1), text(` ${g.sides[1]}`))));
    } else {
      head.append(th("value"));
    }
    inputsHead.replaceChildren(head);
    const body = document.createDocumentFragment();
    const width = twoSides ? 4 : 3;
    for (const r of rows) {
      const { key, a, b, na, sa, nb, sb, differs } = row(r);
      const group = make("tbody", differs ? "input differs" : "input");
      const tr = make("tr", "values");
      const mark = make("td", "mark");
      if (differs) {
        mark.append(make("span", "", "≠"));
        mark.title = "differs";
        mark.append(make("span", "visually-hidden", " differs"));
      }
      tr.append(mark, make("td", "key", make("code", "", g.strings[key])));
      tr.append(valueCell(a));
      if (twoSides) tr.append(valueCell(b));
      const noteRow = make("tr", "note-row");
      const note = make("td", "note");
      note.colSpan = width - 1;
      const first = noteText(na, sa);
      const second = nb >= 0 || sb >= 0 ? noteText(nb >= 0 ? nb : na, sb >= 0 ? sb : sa) : first;
      if (twoSides && second !== first) {
        note.append(make("div", "", sideTag(0), text(` ${first}`)), make("div", "", sideTag(1), text(` ${second}`)));
      } else {
        note.append(text(first));
      }
      noteRow.append(make("td", "mark"), note);
      group.append(tr, noteRow);
      body.appendChild(group);
    }
    inputsTable.querySelectorAll("tbody.input").forEach((e) => e.remove());
    inputsTable.appendChild(body);
    applyOnlyDiff();

    for (const e of nodeLayer.querySelectorAll(".node.selected")) e.classList.remove("selected");
    const a = view.rep[i];
    if (view.items[a].node === i) elements[a].classList.add("selected");
    drawDeps(a);
    status.textContent = `Inputs of ${n.label}: ${plural(rows.length, "input")}` + (twoSides ? `, ${fmt(differing)} differ.` : ".");
  }

  function closePanel() {
    panel.hidden = true;
    for (const e of nodeLayer.querySelectorAll(".node.selected")) e.classList.remove("selected");
    drawDeps(-1);
    const back = selected;
    selected = -1;
    if (back >= 0) focusItem(view.rep[back]);
  }

  function applyOnlyDiff() {
    for (const group of inputsTable.tBodies) {
      group.hidden = onlyDiff.checked && !group.classList.contains("differs");
    }
  }

  function jumpButton(i) {
    const b = make("button", "", shortName(i));
    b.type = "button";
    b.title = nodes[i].label;
    b.addEventListener("click", () => reveal(i, false));
    return b;
  }

  // ---- moving around ----

  function centreOn(a) {
    const left = (view.x[a] + NODE_W / 2) * zoom - viewport.clientWidth / 2;
    const top = (view.y[a] + NODE_H / 2) * zoom - viewport.clientHeight / 2;
    viewport.scrollTo({ left: Math.max(0, left), top: Math.max(0, top) });
  }

  /** Scrolls the graph to item a if it is not in view. */
  function showItem(a) {
    const left = view.x[a] * zoom;
    const top = view.y[a] * zoom;
    const inView =
      left >= viewport.scrollLeft &&
      top >= viewport.scrollTop &&
      left + NODE_W * zoom <= viewport.scrollLeft + viewport.clientWidth &&
      top + NODE_H * zoom <= viewport.scrollTop + viewport.clientHeight;
    if (!inView) centreOn(a);
  }

  function focusItem(a) {
    if (a < 0 || !elements[a]) return;
    setFocusable(a);
    elements[a].focus({ preventScroll: true });
    showItem(a);
  }

  /** Shows node i: unfolds its group, opens its inputs, focuses it. */
  function reveal(i, scrollPage) {
    const k = nodes[i].group;
    if (k !== undefined && collapsed[k]) {
      collapsed[k] = false;
      render();
    }
    openPanel(i);
    const a = view.rep[i];
    if (scrollPage) $("graph").scrollIntoView({ block: "start" });
    focusItem(a);
  }

  function timed(what) {
    const t0 = performance.now();
    what();
    app.dataset.lastActionMs = (performance.now() - t0).toFixed(1);
    // And until the frame that shows the result has been drawn.
    requestAnimationFrame(() =>
      setTimeout(() => {
        app.dataset.lastShownMs = (performance.now() - t0).toFixed(1);
      }, 0),
    );
  }

  function activate(a) {
    const it = view.items[a];
    if (it.group !== undefined) {
      const first = it.members[0];
      collapsed[it.group] = false;
      render();
      const b = view.rep[first];
      centreOn(b);
      focusItem(b);
    } else {
      openPanel(it.node);
      setFocusable(a);
    }
  }

  const itemOf = (target) => {
    const b = target instanceof Element ? target.closest(".node") : null;
    return b && b.dataset.item !== undefined ? Number(b.dataset.item) : -1;
  };

  canvas.addEventListener("click", (e) => {
    const a = itemOf(e.target);
    if (a >= 0) timed(() => activate(a));
  });
  canvas.addEventListener("mouseover", (e) => {
    const a = itemOf(e.target);
    if (a >= 0) highlight(a);
  });
  canvas.addEventListener("mouseleave", () => clearHighlight());
  canvas.addEventListener("focusin", (e) => {
    const a = itemOf(e.target);
    if (a >= 0) {
      setFocusable(a);
      highlight(a);
    }
  });
  canvas.addEventListener("focusout", (e) => {
    if (!canvas.contains(e.relatedTarget)) clearHighlight();
  });

  function nearest(a, list) {
    let best = -1;
    let distance = Infinity;
    for (const b of list) {
      const d = Math.abs(view.y[b] - view.y[a]) + Math.abs(view.x[b] - view.x[a]) / 4;
      if (d < distance) {
        best = b;
        distance = d;
      }
    }
    return best;
  }

  canvas.addEventListener("keydown", (e) => {
    const a = itemOf(e.target);
    if (a < 0) return;
    const column = view.columns[view.columnOf[a]];
    const row = view.rowOf[a];
    let next = -1;
    switch (e.key) {
      case "ArrowUp":
        next = row > 0 ? column[row - 1] : -1;
        break;
      case "ArrowDown":
        next = row + 1 < column.length ? column[row + 1] : -1;
        break;
      case "ArrowLeft":
        next = nearest(a, view.cause[a].length ? view.cause[a] : view.deps[a]);
        break;
      case "ArrowRight": {
        const causal = view.users[a].filter((u) => view.cause[u].includes(a));
        next = nearest(a, causal.length ? causal : view.users[a]);
        break;
      }
      case "Home":
        next = column[0];
        break;
      case "End":
        next = column[column.length - 1];
        break;
      case "Escape":
        if (!panel.hidden) closePanel();
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next >= 0) focusItem(next);
  });

  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      closePanel();
    }
  });
  $("panel-close").addEventListener("click", () => closePanel());
  onlyDiff.addEventListener("change", applyOnlyDiff);

  // Links to actions in the summary open them in the graph.
  document.addEventListener("click", (e) => {
    const link = e.target instanceof Element ? e.target.closest("a.node-link[data-node]") : null;
    if (!link) return;
    e.preventDefault();
    timed(() => reveal(Number(link.dataset.node), true));
  });

  // ---- toolbar: folding, zoom, find ----

  const groupButtons = [];
  const groupBar = $("group-buttons");
  g.groups.forEach((gr, k) => {
    if (!groupMembers[k].length) return;
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.group = k;
    b.addEventListener("click", () =>
      timed(() => {
        collapsed[k] = !collapsed[k];
        render();
      }),
    );
    groupButtons.push(b);
    groupBar.appendChild(b);
  });

  function setZoom(z) {
    z = Math.min(2, Math.max(0.05, z));
    const cx = (viewport.scrollLeft + viewport.clientWidth / 2) / zoom;
    const cy = (viewport.scrollTop + viewport.clientHeight / 2) / zoom;
    zoom = z;
    canvas.style.zoom = String(z);
    viewport.scrollLeft = cx * z - viewport.clientWidth / 2;
    viewport.scrollTop = cy * z - viewport.clientHeight / 2;
  }
  $("zoom-in").addEventListener("click", () => setZoom(zoom * 1.25));
  $("zoom-out").addEventListener("click", () => setZoom(zoom / 1.25));
  $("zoom-reset").addEventListener("click", () => setZoom(1));
  $("zoom-fit").addEventListener("click", () =>
    setZoom(Math.min(1, viewport.clientWidth / view.width, viewport.clientHeight / view.height)),
  );

  const find = $("find");
  const list = $("find-list");
  const options = document.createDocumentFragment();
  for (const n of nodes) {
    const o = document.createElement("option");
    o.value = n.label;
    options.appendChild(o);
  }
  list.appendChild(options);
  function findNode(query) {
    const q = query.trim().toLowerCase();
    if (!q) return -1;
    let i = nodes.findIndex((n) => n.label.toLowerCase() === q);
    if (i < 0) i = nodes.findIndex((n) => n.label.toLowerCase().includes(q));
    return i;
  }
  find.addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    const i = findNode(find.value);
    if (i < 0) {
      status.textContent = `No action matches “${find.value}”.`;
    } else {
      timed(() => reveal(i, false));
    }
  });
  find.addEventListener("change", () => {
    const i = nodes.findIndex((n) => n.label === find.value);
    if (i >= 0) timed(() => reveal(i, false));
  });

  // ---- the legend ----

  const legend = $("legend");
  const counts = new Map();
  for (const n of nodes) counts.set(n.status, (counts.get(n.status) || 0) + 1);
  for (const l of g.legend) {
    if (!counts.has(l.status)) continue;
    const swatch = make("span", `node swatch st-${l.status}`, make("span", "glyph"));
    swatch.setAttribute("aria-hidden", "true");
    const li = make("li", "", swatch, make("span", "", l.label), make("span", "count", `(${fmt(counts.get(l.status))})`));
    li.title = l.description;
    li.append(make("span", "visually-hidden", `: ${l.description}`));
    legend.appendChild(li);
  }

  // ---- start ----

  const renderMs = render();
  if (g.open !== null && g.open !== undefined) {
    openPanel(g.open);
    setFocusable(view.rep[g.open]);
  }
  if (focused >= 0) showItem(focused);
  app.dataset.renderMs = renderMs.toFixed(1);
  app.dataset.loadMs = (performance.now() - started).toFixed(1);
  // Since the navigation started: what a reader waits for before the graph responds.
  app.dataset.readyAtMs = performance.now().toFixed(1);
  app.dataset.ready = "true";
})();
