// Package plot draws a picture of an architecture search's run directory (read through
// rundir.Open): one scatter panel per pair of objectives, with every evaluated architecture
// in grey and the front highlighted, architectures over the run's budgets drawn as crosses,
// and a panel of the hypervolume against the number of evaluations. Axes are labelled with
// the objectives' names, units and directions. The panels are tiled into one PNG or SVG
// image with gonum.org/v1/plot.
//
// Render reads a run directory and writes the image file; ReadData and Draw do the two
// halves for callers that hold the data or want another writer. Archive points that would
// be drawn over one another are drawn once, so a figure of a long run stays small.
package plot
