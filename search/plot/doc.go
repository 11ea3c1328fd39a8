// Package plot draws a picture of a zeronas run directory: one scatter panel per pair of
// objectives, with every evaluated architecture of archive.jsonl in grey and the final
// front of front.json highlighted, and a panel of the hypervolume against the number of
// evaluations from generations.jsonl. Axes are labelled with the objectives' names and
// senses. The panels are tiled into one PNG or SVG image with gonum.org/v1/plot.
//
// Render reads a run directory and writes the image file; ReadData and Draw do the two
// halves for callers that hold the data or want another writer. Archive points that would
// be drawn over one another are drawn once, so a figure of a long run stays small.
package plot
