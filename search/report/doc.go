// Package report writes a run directory as one self-contained, interactive HTML page, and
// several run directories of the same space and objectives as one page that compares them.
//
// The page holds its scripts, styles and data inline and loads nothing from the network, so
// it opens offline and can be mailed or archived. It shows the front as a scatter of any two
// objectives with the third as colour over every evaluated architecture, each architecture's
// layers and export configuration, the hypervolume, front size and evaluation rate per
// generation, the run's settings, and a sortable table of the front that budgets typed into
// the page filter and that downloads as the CSV of 'zeronas export --format csv'. The table
// and the settings are plain HTML, readable without JavaScript.
//
// Build reads run directories into a Page, the plain view model the page is drawn from;
// Render writes a Page as HTML; Write does both, atomically. Recorder rewrites a run's page
// after every generation of a search. Everything the package reads of a run directory goes
// through source.go.
package report
