// zeronas report page: draws the data embedded in #zeronas-data. No network, no libraries.
(function () {
  'use strict';
  document.documentElement.classList.remove('nojs');
  var page = JSON.parse(document.getElementById('zeronas-data').textContent);
  var objs = page.objectives;
  var runs = page.runs;
  runs.forEach(function (r, k) { r.archive = JSON.parse(document.getElementById('zeronas-archive-' + k).textContent); });
  var single = runs.length === 1;
  var SVGNS = 'http://www.w3.org/2000/svg';
  // Okabe and Ito's palette, safe for the common colour-vision deficiencies.
  var RUN_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];
  var RUN_SHAPES = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'cross', 'circle', 'square'];
  var OP_COLOURS = { SA: '#56B4E9', LT: '#E69F00', DSC: '#009E73' };
  // viridis, perceptually uniform and readable in grey and with colour-vision deficiencies.
  var VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
    [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];

  function viridis(t) {
    if (!(t >= 0)) t = 0;
    if (t > 1) t = 1;
    var x = t * (VIRIDIS.length - 1), i = Math.min(Math.floor(x), VIRIDIS.length - 2), f = x - i;
    var a = VIRIDIS[i], b = VIRIDIS[i + 1];
    return 'rgb(' + Math.round(a[0] + f * (b[0] - a[0])) + ',' + Math.round(a[1] + f * (b[1] - a[1])) + ',' +
      Math.round(a[2] + f * (b[2] - a[2])) + ')';
  }

  function el(tag, attrs, parent, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function h(tag, attrs, parent, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  // Numbers: short forms for axes, full ones with units for the tooltip and the panel.
  function si(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return +(v / 1e9).toPrecision(3) + 'G';
    if (a >= 1e6) return +(v / 1e6).toPrecision(3) + 'M';
    if (a >= 1e4) return +(v / 1e3).toPrecision(3) + 'k';
    return +v.toPrecision(4) + '';
  }
  function group(n) { return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function full(v, o) {
    if (o && (o.unit === 'parameters' || o.unit === 'FLOPs')) return group(v) + ' (' + si(v) + ')';
    return +v.toPrecision(4) + (o && o.unit ? ' ' + o.unit : '');
  }

  function niceTicks(lo, hi, n) {
    if (!(hi > lo)) { hi = lo + 1; lo = lo - 1; }
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n))), err = (hi - lo) / n / step;
    if (err >= 7.5) step *= 10; else if (err >= 3.5) step *= 5; else if (err >= 1.5) step *= 2;
    var out = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    return out;
  }
  function extent(arrs) {
    var lo = Infinity, hi = -Infinity;
    arrs.forEach(function (a) { for (var i = 0; i < a.length; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i]; } });
    if (lo === Infinity) { lo = 0; hi = 1; }
    if (lo === hi) { lo -= Math.abs(lo) * 0.05 || 1; hi += Math.abs(hi) * 0.05 || 1; }
    var pad = (hi - lo) * 0.04;
    return [lo - pad, hi + pad];
  }

  // ---- the scatter -------------------------------------------------------------------
  var box = document.getElementById('plot-box');
  var canvas = document.getElementById('bg');
  var svg = document.getElementById('scatter');
  var tooltip = document.getElementById('tooltip');
  var selX = document.getElementById('x-obj'), selY = document.getElementById('y-obj'), selC = document.getElementById('c-obj');
  var showBg = document.getElementById('show-bg');
  var M = { left: 84, right: 16, top: 14, bottom: 52 };
  var state = { x: objs.length > 1 ? 1 : 0, y: 0, c: objs.length > 2 ? 2 : -1, selected: null };
  var frontCols = runs.map(function (r) { return objs.map(function (o, j) { return r.front.map(function (m) { return m.values[j]; }); }); });
  var geom = null; // what the last drawing put where, for hit-testing

  objs.forEach(function (o, j) {
    [selX, selY, selC].forEach(function (s) { h('option', { value: j }, s, o.name + (o.unit === 'ms' ? ' (ms)' : '')); });
  });
  if (!single || objs.length < 3) {
    if (single) h('option', { value: -1 }, selC, 'none');
    else document.getElementById('c-label').hidden = true;
  }
  selX.value = state.x; selY.value = state.y; selC.value = state.c;
  showBg.checked = single;
  [selX, selY, selC].forEach(function (s) { s.addEventListener('change', function () {
    state.x = +selX.value; state.y = +selY.value; state.c = +selC.value; drawScatter();
  }); });
  showBg.addEventListener('change', drawScatter);

  function drawScatter() {
    var W = Math.max(box.clientWidth, M.left + M.right + 40), H = Math.max(box.clientHeight, M.top + M.bottom + 40);
    var dpr = window.devicePixelRatio || 1;
    var xi = state.x, yi = state.y, ci = single ? state.c : -1;
    var bg = showBg.checked;
    var xs = [], ys = [];
    runs.forEach(function (r, k) {
      xs.push(frontCols[k][xi]); ys.push(frontCols[k][yi]);
      if (bg) { xs.push(r.archive.values[xi] || []); ys.push(r.archive.values[yi] || []); }
    });
    var xd = extent(xs), yd = extent(ys);
    var pw = W - M.left - M.right, ph = H - M.top - M.bottom;
    function sx(v) { return M.left + (v - xd[0]) / (xd[1] - xd[0]) * pw; }
    function sy(v) { return M.top + ph - (v - yd[0]) / (yd[1] - yd[0]) * ph; }

    // Background: every evaluated architecture, on a canvas (100,000 points stay fast).
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    var bgPts = [];
    if (bg) {
      runs.forEach(function (r, k) {
        var X = r.archive.values[xi] || [], Y = r.archive.values[yi] || [], n = X.length;
        var px = new Float32Array(n), py = new Float32Array(n), bad = new Uint8Array(n);
        r.archive.infeasible.forEach(function (i) { bad[i] = 1; });
        ctx.fillStyle = 'rgba(90,90,90,0.30)';
        for (var i = 0; i < n; i++) {
          px[i] = sx(X[i]); py[i] = sy(Y[i]);
          if (!bad[i]) ctx.fillRect(px[i] - 1.25, py[i] - 1.25, 2.5, 2.5);
        }
        ctx.strokeStyle = 'rgba(213,94,0,0.55)'; ctx.lineWidth = 1;
        ctx.beginPath();
        r.archive.infeasible.forEach(function (i) { // a small x
          ctx.moveTo(px[i] - 2, py[i] - 2); ctx.lineTo(px[i] + 2, py[i] + 2);
          ctx.moveTo(px[i] - 2, py[i] + 2); ctx.lineTo(px[i] + 2, py[i] - 2);
        });
        ctx.stroke();
        bgPts.push({ run: k, px: px, py: py, grid: gridOf(px, py, W, H) });
      });
    }

    // Axes, grid and the front, in SVG.
    while (svg.lastChild && svg.lastChild.tagName !== 'desc') svg.removeChild(svg.lastChild);
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    var g = el('g', {}, svg);
    niceTicks(xd[0], xd[1], 7).forEach(function (t) {
      var x = sx(t);
      el('line', { x1: x, x2: x, y1: M.top, y2: M.top + ph, 'class': 'grid' }, g);
      el('text', { x: x, y: M.top + ph + 16, 'text-anchor': 'middle' }, g, si(t));
    });
    niceTicks(yd[0], yd[1], 6).forEach(function (t) {
      var y = sy(t);
      el('line', { x1: M.left, x2: M.left + pw, y1: y, y2: y, 'class': 'grid' }, g);
      el('text', { x: M.left - 6, y: y + 4, 'text-anchor': 'end' }, g, si(t));
    });
    el('rect', { x: M.left, y: M.top, width: pw, height: ph, fill: 'none', stroke: '#888' }, g);
    el('text', { x: M.left + pw / 2, y: H - 10, 'text-anchor': 'middle', 'class': 'axis-label' }, g, objs[xi].label);
    el('text', { x: 16, y: M.top + ph / 2, 'text-anchor': 'middle', 'class': 'axis-label',
      transform: 'rotate(-90 16 ' + (M.top + ph / 2) + ')' }, g, objs[yi].label);

    var cd = null;
    if (ci >= 0) { // the colour scale spans the front's values exactly
      cd = [Math.min.apply(null, frontCols[0][ci]), Math.max.apply(null, frontCols[0][ci])];
      if (cd[0] === cd[1]) cd[1] = cd[0] + 1;
    }
    var pts = [];
    var fg = el('g', { 'class': 'front' }, svg);
    runs.forEach(function (r, k) {
      r.front.forEach(function (m, i) {
        var x = sx(m.values[xi]), y = sy(m.values[yi]);
        var fill = single ? (cd ? viridis((m.values[ci] - cd[0]) / (cd[1] - cd[0])) : '#0072B2') : RUN_COLOURS[k % 8];
        var shape = single ? (m.violation > 0 ? 'diamond' : 'circle') : RUN_SHAPES[k % 8];
        var e = marker(fg, shape, x, y, single ? 5 : 5.5, fill);
        e.setAttribute('class', 'front-pt' + (m.violation > 0 ? ' infeasible' : ''));
        e.setAttribute('data-run', k); e.setAttribute('data-index', i); e.setAttribute('data-id', m.id);
        pts.push({ run: k, index: i, x: x, y: y, el: e });
      });
    });
    el('circle', { r: 9, cx: -99, cy: -99, 'class': 'hover-ring' }, svg);
    geom = { front: pts, bg: bgPts, W: W, H: H };
    document.getElementById('scatter-desc').textContent = 'Scatter of ' + objs[yi].name + ' against ' + objs[xi].name +
      ': ' + pts.length + ' front architectures' + (bg ? ' over every evaluated architecture' : '') + '.';
    legend(cd, ci);
    markSelected();
  }

  function marker(parent, shape, x, y, r, fill) {
    var d;
    switch (shape) {
      case 'square': return el('rect', { x: x - r * 0.85, y: y - r * 0.85, width: r * 1.7, height: r * 1.7, fill: fill }, parent);
      case 'diamond': d = 'M' + x + ',' + (y - r * 1.25) + 'L' + (x + r * 1.25) + ',' + y + 'L' + x + ',' + (y + r * 1.25) + 'L' + (x - r * 1.25) + ',' + y + 'Z'; break;
      case 'triangle': d = 'M' + x + ',' + (y - r * 1.2) + 'L' + (x + r * 1.1) + ',' + (y + r * 0.8) + 'L' + (x - r * 1.1) + ',' + (y + r * 0.8) + 'Z'; break;
      case 'triangle-down': d = 'M' + x + ',' + (y + r * 1.2) + 'L' + (x + r * 1.1) + ',' + (y - r * 0.8) + 'L' + (x - r * 1.1) + ',' + (y - r * 0.8) + 'Z'; break;
      case 'cross': d = 'M' + (x - r) + ',' + (y - r / 3) + 'h' + (2 * r) + 'v' + (2 * r / 3) + 'h' + (-2 * r) + 'Z' +
        'M' + (x - r / 3) + ',' + (y - r) + 'v' + (2 * r) + 'h' + (2 * r / 3) + 'v' + (-2 * r) + 'Z'; break;
      default: return el('circle', { cx: x, cy: y, r: r, fill: fill }, parent);
    }
    return el('path', { d: d, fill: fill }, parent);
  }

  function legend(cd, ci) {
    var lg = document.getElementById('legend');
    lg.textContent = '';
    function item(draw, text) {
      var s = h('span', {}, lg);
      var sv = el('svg', { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': 'true' }, s);
      draw(sv);
      s.appendChild(document.createTextNode(' ' + text));
    }
    if (single) {
      var r = runs[0];
      if (showBg.checked) {
        item(function (s) { el('rect', { x: 6, y: 6, width: 4, height: 4, fill: 'rgba(90,90,90,0.6)' }, s); }, group(r.archive.ids.length) + ' evaluated');
        if (r.archive.infeasible.length) item(function (s) { el('path', { d: 'M4,4L12,12M4,12L12,4', stroke: '#D55E00', 'stroke-width': 1.5 }, s); },
          group(r.archive.infeasible.length) + ' over budget');
      }
      var fill = cd ? viridis(0.5) : '#0072B2';
      item(function (s) { el('circle', { cx: 8, cy: 8, r: 5, fill: fill, stroke: '#1a1a1a' }, s); }, group(r.front.length) + ' on the front');
      if (r.front.some(function (m) { return m.violation > 0; }))
        item(function (s) { el('path', { d: 'M8,1L15,8L8,15L1,8Z', fill: fill, stroke: '#1a1a1a' }, s); }, 'front member over budget (least violating)');
      if (cd) {
        var s = h('span', {}, lg);
        s.appendChild(document.createTextNode('colour: ' + objs[ci].label + ' '));
        var sv = el('svg', { width: 190, height: 16, 'aria-hidden': 'true' }, s);
        var defs = el('defs', {}, sv), gr = el('linearGradient', { id: 'cbar' }, defs);
        for (var i = 0; i <= 10; i++) el('stop', { offset: i * 10 + '%', 'stop-color': viridis(i / 10) }, gr);
        el('text', { x: 0, y: 12 }, sv, si(cd[0]));
        el('rect', { x: 44, y: 3, width: 100, height: 10, fill: 'url(#cbar)', stroke: '#555' }, sv);
        el('text', { x: 148, y: 12 }, sv, si(cd[1]));
      }
    } else {
      runs.forEach(function (r, k) {
        item(function (s) { marker(s, RUN_SHAPES[k % 8], 8, 8, 5, RUN_COLOURS[k % 8]).setAttribute('stroke', '#1a1a1a'); }, r.name + ' (' + r.front.length + ')');
      });
    }
  }

  // gridOf buckets points by 8-pixel cells for nearest-point queries.
  function gridOf(px, py, W, H) {
    var C = 8, cols = Math.ceil(W / C) + 1, rows = Math.ceil(H / C) + 1;
    var head = new Int32Array(cols * rows).fill(-1), next = new Int32Array(px.length);
    for (var i = 0; i < px.length; i++) {
      var cx = Math.floor(px[i] / C), cy = Math.floor(py[i] / C);
      if (cx < 0 || cy < 0 || cx >= cols || cy >= rows) { next[i] = -1; continue; }
      var c = cy * cols + cx; next[i] = head[c]; head[c] = i;
    }
    return { C: C, cols: cols, rows: rows, head: head, next: next };
  }

  // nearest returns the front point within 10 px of (x, y), else the evaluated one within 6 px.
  function nearest(x, y) {
    if (!geom) return null;
    var best = null, bd = 100;
    geom.front.forEach(function (p) {
      var d = (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y);
      if (d <= bd) { bd = d; best = p; }
    });
    if (best) return { kind: 'front', run: best.run, index: best.index, x: best.x, y: best.y };
    bd = 36;
    geom.bg.forEach(function (b) {
      var G = b.grid, cx = Math.floor(x / G.C), cy = Math.floor(y / G.C);
      for (var gy = cy - 1; gy <= cy + 1; gy++) for (var gx = cx - 1; gx <= cx + 1; gx++) {
        if (gx < 0 || gy < 0 || gx >= G.cols || gy >= G.rows) continue;
        for (var i = G.head[gy * G.cols + gx]; i >= 0; i = G.next[i]) {
          var d = (b.px[i] - x) * (b.px[i] - x) + (b.py[i] - y) * (b.py[i] - y);
          if (d <= bd) { bd = d; best = { kind: 'archive', run: b.run, index: i, x: b.px[i], y: b.py[i] }; }
        }
      }
    });
    return best;
  }

  function describe(hit) {
    var r = runs[hit.run], lines = [];
    var id, vals, infeasible;
    if (hit.kind === 'front') { var m = r.front[hit.index]; id = m.id; vals = m.values; infeasible = m.violation > 0; }
    else { id = r.archive.ids[hit.index]; vals = objs.map(function (o, j) { return r.archive.values[j][hit.index]; });
      infeasible = r.archive.infeasible.indexOf(hit.index) >= 0; }
    return { id: id, vals: vals, infeasible: infeasible, run: r };
  }

  function showTooltip(hit) {
    var ring = svg.querySelector('.hover-ring');
    if (!hit) { tooltip.hidden = true; if (ring) { ring.setAttribute('cx', -99); ring.setAttribute('cy', -99); } return; }
    var d = describe(hit);
    tooltip.textContent = '';
    if (!single) h('div', {}, tooltip, d.run.name);
    h('div', { 'class': 'id' }, tooltip, d.id);
    objs.forEach(function (o, j) { h('div', {}, tooltip, o.name + ': ' + full(d.vals[j], o)); });
    h('div', {}, tooltip, (hit.kind === 'front' ? 'on the front' : 'evaluated, not on the front') + (d.infeasible ? '; over budget' : ''));
    tooltip.hidden = false;
    var tw = tooltip.offsetWidth, th = tooltip.offsetHeight;
    var left = hit.x + 14, top = hit.y + 14;
    if (left + tw > geom.W) left = hit.x - tw - 14;
    if (top + th > geom.H) top = hit.y - th - 14;
    tooltip.style.left = Math.max(0, left) + 'px'; tooltip.style.top = Math.max(0, top) + 'px';
    ring.setAttribute('cx', hit.x); ring.setAttribute('cy', hit.y);
  }

  function local(ev) {
    var rc = svg.getBoundingClientRect();
    return [ev.clientX - rc.left, ev.clientY - rc.top];
  }
  svg.addEventListener('mousemove', function (ev) { var p = local(ev); showTooltip(nearest(p[0], p[1])); });
  svg.addEventListener('mouseleave', function () { showTooltip(null); });
  svg.addEventListener('click', function (ev) {
    var p = local(ev), hit = nearest(p[0], p[1]);
    if (hit) select(hit);
  });

  // ---- the selected architecture --------------------------------------------------------
  var detail = document.getElementById('detail');
  function select(hit) {
    state.selected = hit;
    markSelected();
    var d = describe(hit);
    detail.textContent = '';
    var hd = h('h3', {}, detail, 'Architecture ');
    h('span', { 'class': 'id' }, hd, d.id);
    if (!single) h('p', {}, detail, 'run ' + d.run.name);
    var dl = h('dl', {}, detail);
    function row(k, v) { h('dt', {}, dl, k); h('dd', {}, dl, v); }
    objs.forEach(function (o, j) { row(o.name, full(d.vals[j], o)); });
    if (hit.kind !== 'front') {
      row('front', 'not on the front');
      h('p', { 'class': 'hint' }, detail, 'Only front members carry their layers and configuration on this page; archive.jsonl holds every architecture.');
      return;
    }
    var m = d.run.front[hit.index];
    row('param_count', group(m.params));
    row('depth', m.layers.length + ' layers');
    row('front index', m.index);
    if (m.count) row('architectures', m.count > 0 ? group(m.count) : 'more than 2^63');
    if (m.violation > 0) row('over budget by', group(m.violation * 100) + '% (summed over the budgets)');
    h('h3', {}, detail, 'Layers (input at the bottom)');
    detail.appendChild(layerStack(m.layers));
    var ch = h('h3', {}, detail, 'Export configuration ');
    var btn = h('button', { type: 'button', id: 'copy-config' }, ch, 'Copy');
    var st = h('span', { role: 'status', 'class': 'hint' }, ch);
    h('p', { 'class': 'hint' }, detail, 'config.json of zeronas export --format hf');
    var pre = h('pre', { id: 'config', tabindex: '0' }, detail, m.config);
    btn.addEventListener('click', function () { copy(m.config, pre, st); });
    if (single) {
      document.querySelectorAll('#front-table tbody tr.selected').forEach(function (tr) { tr.classList.remove('selected'); });
      var tr = rowOf[m.index];
      if (tr) tr.classList.add('selected');
    }
  }
  function markSelected() {
    svg.querySelectorAll('.front-pt.selected').forEach(function (e) { e.classList.remove('selected'); });
    var s = state.selected;
    if (!s || s.kind !== 'front') return;
    var e = svg.querySelector('.front-pt[data-run="' + s.run + '"][data-index="' + s.index + '"]');
    if (e) { e.classList.add('selected'); e.parentNode.appendChild(e); }
  }
  function copy(text, pre, status) {
    function done(ok) { status.textContent = ok ? ' copied' : ' select the text and copy it'; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback()); });
    } else done(fallback());
    function fallback() {
      var r = document.createRange(); r.selectNodeContents(pre);
      var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
      try { return document.execCommand('copy'); } catch (e) { return false; }
    }
  }

  // layerStack draws the layers bottom-up: operation, hidden size, heads, feed-forward widths.
  function layerStack(layers) {
    var rowH = 30, W = 336, n = layers.length, maxFF = 1, maxH = 1;
    layers.forEach(function (l) { l.ff.forEach(function (w) { maxFF = Math.max(maxFF, w); }); maxH = Math.max(maxH, l.hidden); });
    var s = el('svg', { width: W, height: n * rowH + 22, viewBox: '0 0 ' + W + ' ' + (n * rowH + 22), role: 'img',
      'aria-label': layers.map(function (l, i) { return 'layer ' + (i + 1) + ': ' + l.op + '-' + l.param + ', hidden ' + l.hidden + ', ' + l.heads + ' heads, feed-forward ' + l.ff.join('-'); }).join('; ') });
    var hy = n * rowH + 14;
    el('text', { x: 0, y: hy, 'font-size': 10, fill: '#555' }, s, '#');
    el('text', { x: 20, y: hy, 'font-size': 10, fill: '#555' }, s, 'operation');
    el('text', { x: 112, y: hy, 'font-size': 10, fill: '#555' }, s, 'hidden');
    el('text', { x: 162, y: hy, 'font-size': 10, fill: '#555' }, s, 'heads');
    el('text', { x: 206, y: hy, 'font-size': 10, fill: '#555' }, s, 'feed-forward widths');
    layers.forEach(function (l, i) {
      var y = (n - 1 - i) * rowH + 2;
      el('text', { x: 0, y: y + 17, 'font-size': 11, fill: '#333' }, s, i + 1);
      el('rect', { x: 18, y: y, width: 88, height: rowH - 6, rx: 3, fill: OP_COLOURS[l.op] || '#bbb', stroke: '#333' }, s);
      el('text', { x: 62, y: y + 16, 'text-anchor': 'middle', 'font-size': 12, fill: '#000' }, s, l.op + ' · ' + l.param);
      var hw = 12 + 32 * l.hidden / maxH;
      el('rect', { x: 112, y: y + 3, width: hw, height: rowH - 12, fill: '#ddd', stroke: '#777' }, s);
      el('text', { x: 114, y: y + 16, 'font-size': 11, fill: '#000' }, s, l.hidden);
      for (var k = 0; k < l.heads && k < 16; k++)
        el('rect', { x: 162 + (k % 8) * 5, y: y + 4 + Math.floor(k / 8) * 6, width: 4, height: 4, fill: '#555' }, s);
      el('text', { x: 164 + Math.min(l.heads, 8) * 5, y: y + 16, 'font-size': 11, fill: '#000' }, s, '×' + l.heads);
      var fx = 206;
      l.ff.forEach(function (w) {
        var bw = Math.max(8, 38 * w / maxFF);
        el('rect', { x: fx, y: y + 3, width: bw, height: rowH - 12, fill: '#CC79A7', 'fill-opacity': 0.45, stroke: '#555' }, s);
        el('text', { x: fx + bw / 2, y: y + 16, 'text-anchor': 'middle', 'font-size': 10, fill: '#000' }, s, w);
        fx += bw + 3;
      });
    });
    return s;
  }

  // ---- progress charts -----------------------------------------------------------------
  function lineChart(parent, title, xLabel, yLabel, series, markers) {
    var c = h('div', { 'class': 'chart' }, parent);
    h('h3', {}, c, title);
    var W = 380, H = 190, L = 58, R = 10, T = 8, B = 40;
    var s = el('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': title + ' against ' + xLabel }, c);
    var xs = [], ys = [];
    series.forEach(function (sr) { xs.push(sr.pts.map(function (p) { return p[0]; })); ys.push(sr.pts.map(function (p) { return p[1]; })); });
    var xd = extent(xs), yd = extent(ys);
    if (yd[0] > 0 && yd[0] < (yd[1] - yd[0])) yd[0] = 0;
    var pw = W - L - R, ph = H - T - B;
    function sx(v) { return L + (v - xd[0]) / (xd[1] - xd[0]) * pw; }
    function sy(v) { return T + ph - (v - yd[0]) / (yd[1] - yd[0]) * ph; }
    niceTicks(xd[0], xd[1], 5).forEach(function (t) {
      el('line', { x1: sx(t), x2: sx(t), y1: T, y2: T + ph, stroke: '#eee' }, s);
      el('text', { x: sx(t), y: T + ph + 13, 'text-anchor': 'middle' }, s, si(t));
    });
    niceTicks(yd[0], yd[1], 4).forEach(function (t) {
      el('line', { x1: L, x2: L + pw, y1: sy(t), y2: sy(t), stroke: '#eee' }, s);
      el('text', { x: L - 4, y: sy(t) + 4, 'text-anchor': 'end' }, s, si(t));
    });
    el('rect', { x: L, y: T, width: pw, height: ph, fill: 'none', stroke: '#888' }, s);
    (markers || []).forEach(function (m) {
      el('line', { x1: sx(m), x2: sx(m), y1: T, y2: T + ph, stroke: '#D55E00', 'stroke-dasharray': '4 3' }, s);
      el('text', { x: sx(m) + 3, y: T + 10, fill: '#8a3a00' }, s, 'resumed');
    });
    series.forEach(function (sr, k) {
      if (!sr.pts.length) return;
      var d = sr.pts.map(function (p, i) { return (i ? 'L' : 'M') + sx(p[0]).toFixed(1) + ',' + sy(p[1]).toFixed(1); }).join('');
      el('path', { d: d, fill: 'none', stroke: sr.colour, 'stroke-width': 2, 'stroke-dasharray': sr.dash || '' }, s);
      if (sr.pts.length === 1) el('circle', { cx: sx(sr.pts[0][0]), cy: sy(sr.pts[0][1]), r: 3, fill: sr.colour }, s);
    });
    el('text', { x: L + pw / 2, y: H - 6, 'text-anchor': 'middle' }, s, xLabel);
    el('text', { x: 11, y: T + ph / 2, 'text-anchor': 'middle', transform: 'rotate(-90 11 ' + (T + ph / 2) + ')' }, s, yLabel);
  }

  function drawCharts() {
    var charts = document.getElementById('charts');
    charts.textContent = '';
    var xKey = single ? 'generation' : 'evaluations', xLabel = single ? 'generation' : 'evaluations';
    function series(key) {
      return runs.map(function (r, k) {
        return { colour: single ? '#0072B2' : RUN_COLOURS[k % 8], dash: single || k % 2 === 0 ? '' : '6 3',
          pts: r.history.map(function (g) { return [g[xKey], g[key]]; }) };
      });
    }
    var markers = single ? runs[0].history.filter(function (g) { return g.resumed; }).map(function (g) { return g.generation; }) : [];
    if (single && runs[0].history.length < 2) {
      h('p', { 'class': 'hint' }, charts, runs[0].strategy === 'exact' ?
        'The exact strategy solves the space in one step: there is no progress to draw.' : 'One generation so far: nothing to draw yet.');
      charts.className = '';
      return;
    }
    lineChart(charts, 'Hypervolume' + (single ? ' (normalised, reference 1.1)' : ' (each run as normalised)'), xLabel, 'hypervolume', series('hypervolume'), markers);
    lineChart(charts, 'Front size', xLabel, 'architectures', series('front_size'), markers);
    var eps = single && runs[0].evals_per_sec ? ': ' + group(runs[0].evals_per_sec) + ' overall' : '';
    lineChart(charts, 'Evaluations per second' + eps, xLabel, 'evaluations / s', series('evals_per_sec'), markers);
    if (!single) {
      document.querySelectorAll('#runs-table .swatch').forEach(function (sw) { sw.style.background = RUN_COLOURS[+sw.getAttribute('data-run') % 8]; });
    }
  }

  // ---- the front table -------------------------------------------------------------------
  var rowOf = {};
  var table = document.getElementById('front-table');
  var shownIdx = [];
  if (single && table) {
    var r0 = runs[0], tbody = table.tBodies[0];
    Array.prototype.forEach.call(tbody.rows, function (tr) { rowOf[+tr.getAttribute('data-index')] = tr; });
    var latIdx = -1;
    objs.forEach(function (o, j) { if (o.name === 'latency') latIdx = j; });
    var inP = document.getElementById('max-params'), inL = document.getElementById('max-latency');
    if (latIdx < 0) { inL.disabled = true; inL.placeholder = 'no latency objective'; }
    if (r0.max_params > 0) inP.placeholder = 'run: ' + group(r0.max_params);
    if (r0.max_latency_ms > 0 && latIdx >= 0) inL.placeholder = 'run: ' + r0.max_latency_ms;
    var keyOf = function (m, key) {
      if (key === 'index') return m.index;
      if (key === 'id') return m.id;
      if (key === 'params') return m.params;
      if (key === 'depth') return m.layers.length;
      if (key === 'count') return m.count || 0;
      if (key === 'violation') return m.violation;
      if (key === 'layers') return m.csv.slice(m.csv.lastIndexOf(',') + 1);
      return m.values[+key.slice(1)];
    };
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var key = th.getAttribute('data-key'), b = document.createElement('button');
      b.type = 'button';
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var ms = r0.front.slice().sort(function (a, b) {
          var x = keyOf(a, key), y = keyOf(b, key), c = x < y ? -1 : x > y ? 1 : a.index - b.index;
          return asc ? c : -c;
        });
        ms.forEach(function (m) { tbody.appendChild(rowOf[m.index]); });
      });
    });
    var filter = function () {
      var mp = inP.value === '' ? Infinity : +inP.value, ml = inL.value === '' || latIdx < 0 ? Infinity : +inL.value;
      shownIdx = [];
      r0.front.forEach(function (m) {
        var ok = m.params <= mp && (latIdx < 0 || m.values[latIdx] <= ml);
        rowOf[m.index].hidden = !ok;
        if (ok) shownIdx.push(m.index);
      });
      document.getElementById('shown').textContent = shownIdx.length + ' of ' + r0.front.length + ' shown';
      var shown = new Set(shownIdx);
      svg.querySelectorAll('.front-pt').forEach(function (e) {
        e.style.opacity = shown.has(+e.getAttribute('data-index')) ? '' : '0.18';
      });
    };
    inP.addEventListener('input', filter); inL.addEventListener('input', filter);
    Array.prototype.forEach.call(tbody.rows, function (tr) { tr.tabIndex = 0; });
    tbody.addEventListener('click', function (ev) {
      var tr = ev.target.closest('tr');
      if (tr) select({ kind: 'front', run: 0, index: +tr.getAttribute('data-index'), x: 0, y: 0 });
    });
    tbody.addEventListener('keydown', function (ev) { // the table is the keyboard's way to the panel
      var tr = ev.target.closest('tr');
      if (tr && (ev.key === 'Enter' || ev.key === ' ')) {
        ev.preventDefault();
        select({ kind: 'front', run: 0, index: +tr.getAttribute('data-index'), x: 0, y: 0 });
      }
    });
    document.getElementById('download').addEventListener('click', function () {
      var blob = new Blob([csv()], { type: 'text/csv' });
      var a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = r0.name + '-front.csv';
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    });
    filter();
  }
  // csv is the CSV export's header and the rows of the shown members, in the export's order.
  function csv() {
    var r0 = runs[0], idx = shownIdx.slice().sort(function (a, b) { return a - b; });
    return [r0.csv_header].concat(idx.map(function (i) { return r0.front[i].csv; })).join('\n') + '\n';
  }

  drawScatter();
  drawCharts();
  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(drawScatter);
  });
  window.zeronasReport = { csv: csv, shown: function () { return shownIdx.slice(); }, select: select };
  document.body.setAttribute('data-ready', String(performance.now()));
})();
