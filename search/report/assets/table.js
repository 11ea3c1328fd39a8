// zeronas report page, part 4 of 4: the front table (sort, filter, CSV) and the start.
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
