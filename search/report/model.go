package report

// Page is what a report page shows; it is embedded in the page as JSON. One run makes a
// report, several make a comparison.
type Page struct {
	// Title names the page.
	Title string `json:"title"`
	// Objectives are the runs' objectives, in order.
	Objectives []Objective `json:"objectives"`
	// Runs are the runs shown, in the order given.
	Runs []*Run `json:"runs"`
	// Common compares the final fronts of several runs on one normalisation; nil for one run.
	Common *Common `json:"common,omitempty"`
}

// Objective is one objective with what the page needs to draw it.
type Objective struct {
	Name string `json:"name"`
	// Sense is "max" or "min".
	Sense string `json:"sense"`
	// Label names the objective with its unit, for axes and table headers.
	Label string `json:"label"`
	// Unit is the unit of the values ("ms", "parameters", ...); empty for a score.
	Unit string `json:"unit"`
}

// Run is what a page shows of one run directory.
type Run struct {
	// Name is the run directory's folder name; Dir the path it was read from.
	Name string `json:"name"`
	Dir  string `json:"dir"`
	// Space, Strategy and Seed identify the run.
	Space    string `json:"space"`
	Strategy string `json:"strategy"`
	Seed     uint64 `json:"seed"`
	// Settings are the run's settings in reading order, as label and value.
	Settings []Setting `json:"settings"`
	// Generation is the last complete generation, Evaluations the evaluations up to it.
	Generation  int `json:"generation"`
	Evaluations int `json:"evaluations"`
	// Feasible is false when nothing met the budgets and the front holds the least
	// violating architectures.
	Feasible bool `json:"feasible"`
	// MaxParams and MaxLatencyMS are the run's budgets; 0 for none.
	MaxParams    float64 `json:"max_params"`
	MaxLatencyMS float64 `json:"max_latency_ms"`
	// Front lists the front's members in front.json's (and the CSV export's) order.
	Front []Member `json:"front"`
	// CSVHeader is the header line of the CSV export of the front.
	CSVHeader string `json:"csv_header"`
	// Archive holds every evaluated architecture. The page carries it apart from the
	// rest, as its own JSON (see Archive.JSON).
	Archive Archive `json:"-"`
	// History holds one record per generation, across resumes.
	History []Generation `json:"history"`
	// EvalsPerSec is the run's overall evaluation rate: the new evaluations of the search
	// and of each resume over the time each took; 0 when unknown.
	EvalsPerSec float64 `json:"evals_per_sec"`
	// Exact compares the front with the exact front of the space, when it is computable.
	Exact *Exact `json:"exact,omitempty"`
}

// Setting is one line of a run's settings.
type Setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Member is one architecture of a front.
type Member struct {
	// Index is the member's position in front.json and the CSV export.
	Index int    `json:"index"`
	ID    string `json:"id"`
	// Values are the objective values in Page.Objectives' order.
	Values []float64 `json:"values"`
	// Violation is how far the member exceeds the budgets; 0 when it meets them.
	Violation float64 `json:"violation"`
	// Count is the number of architectures attaining Values (exact strategy); 0 if unknown.
	Count int64 `json:"count,omitempty"`
	// Params is the exact parameter count of the model (CSV column param_count).
	Params int64   `json:"params"`
	Layers []Layer `json:"layers"`
	// Config is the member's Hugging Face style config.json of 'zeronas export --format hf',
	// compact; the page shows and copies it indented by two spaces, as the export writes it.
	Config string `json:"config"`
	// CSV is the member's row of 'zeronas export --format csv', without the line end.
	CSV string `json:"csv"`
}

// Layer is one encoder layer.
type Layer struct {
	Op     string `json:"op"`
	Param  string `json:"param"`
	Hidden int    `json:"hidden"`
	Heads  int    `json:"heads"`
	FF     []int  `json:"ff"`
}

// Archive holds every evaluated architecture, by column.
type Archive struct {
	IDs []string `json:"ids"`
	// Values holds one column per objective, in Page.Objectives' order, each rounded to
	// six significant digits (the page shows four).
	Values [][]float64 `json:"values"`
	// Infeasible lists the indices of the architectures that exceed a budget.
	Infeasible []int `json:"infeasible"`

	json []byte // its encoding, kept by the builder
}

// JSON returns the archive's JSON encoding: an object with keys ids, values and infeasible.
func (a *Archive) JSON() []byte { return a.json }

// Generation is one generation of a run.
type Generation struct {
	Generation     int     `json:"generation"`
	Evaluations    int     `json:"evaluations"`
	NewEvaluations int     `json:"new_evaluations"`
	FrontSize      int     `json:"front_size"`
	Feasible       bool    `json:"feasible"`
	Hypervolume    float64 `json:"hypervolume"`
	EvalsPerSec    float64 `json:"evals_per_sec"`
	// Resumed marks the first generation of a resume.
	Resumed bool `json:"resumed,omitempty"`
}

// Exact compares a run's front with the exact front of its space.
type Exact struct {
	// Vectors is the size of the exact front.
	Vectors int `json:"vectors"`
	// Hypervolume is the exact front's, RunHypervolume the run's front's, both normalised
	// by the exact front's ideal and nadir with reference point 1.1.
	Hypervolume    float64 `json:"hypervolume"`
	RunHypervolume float64 `json:"run_hypervolume"`
	// Fraction is RunHypervolume / Hypervolume.
	Fraction float64 `json:"fraction"`
	// Note says why there is no fraction, when there is none.
	Note string `json:"note,omitempty"`
}

// Common compares several runs' final fronts on one normalisation: the ideal and nadir of
// the union of their feasible fronts.
type Common struct {
	// Hypervolumes holds each run's final front's hypervolume on that normalisation; 0 for
	// an infeasible front, whose least-violating architectures solve nothing.
	Hypervolumes []float64 `json:"hypervolumes"`
	// SameNormalisation reports whether every run's history was normalised alike, so that
	// their hypervolume curves compare.
	SameNormalisation bool `json:"same_normalisation"`
}
