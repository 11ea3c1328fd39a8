// zeronas report page, part 1 of 4: the data, palettes, formatting and drawing helpers.
// The four parts run in one function scope (see render.go); no network, no libraries.
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

