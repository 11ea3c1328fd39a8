// Package rundir owns the run directory of an architecture search: the folder that
// 'zeronas search --out DIR' writes and that resume, export, plot and report read. It
// defines the directory's file names and record types once, starts and continues runs
// (Start, Continue), and gives readers a consistent, read-only view of a run (Open).
//
// A run directory holds
//
//	run.json           the Config: space, objectives, proxy, latency, strategy, seed, budgets
//	latency-table.json the latency table the run used (table model only)
//	archive.jsonl      an ArchiveLine per newly evaluated architecture, appended per generation
//	generations.jsonl  a GenerationLine per generation, appended per generation
//	front.json         the Front: the deduplicated Pareto archive, replaced per generation
//	checkpoint.json    the Checkpoint, replaced last in every generation
//
// Every replacement is atomic (temporary file, fsync, rename, fsync of the folder), and the
// checkpoint records the sizes of the two appended files, so a kill at any moment leaves a
// run that Continue resumes from its last complete generation, byte for byte.
package rundir
