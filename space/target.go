package space

// Target returns the trained quality a benchmark record is ranked by, higher is better,
// and its name: scores.glue for NAS-Bench-BERT; -valid_ppl for LiteTransformerSearch
// (lower perplexity is better, so the target is its negation). ok is false when the record
// has neither.
func (r Record) Target() (name string, v float64, ok bool) {
	if v, ok := r.Scores["glue"]; ok {
		return TargetGLUE, v, true
	}
	if v, ok := r.Scores["valid_ppl"]; ok {
		return TargetPPL, -v, true
	}
	return "", 0, false
}

// Target names, as output states them.
const (
	TargetGLUE = "scores.glue"
	TargetPPL  = "-valid_ppl"
)

// TargetNote says what a target name means, for output that must not mislead.
func TargetNote(name string) string {
	if name == TargetPPL {
		return "-valid_ppl (the negated validation perplexity: lower perplexity is better)"
	}
	return name
}
