// zeronas report page, part 2 of 4: the scatter of the front over every evaluated architecture.
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

