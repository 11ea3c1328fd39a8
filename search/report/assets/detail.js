// zeronas report page, part 3 of 4: the selected architecture and the progress charts.
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
    var text = JSON.stringify(JSON.parse(m.config), null, 2) + '\n'; // as the export writes config.json
    var pre = h('pre', { id: 'config', tabindex: '0' }, detail, text);
    btn.addEventListener('click', function () { copy(text, pre, st); });
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

