package testproblems

import (
	"context"
	"testing"
)

func BenchmarkTmpZDT1(b *testing.B) {
	for b.Loop() {
		Bench(context.Background(), "zdt1", 100, 200, 1)
	}
}
func BenchmarkTmpDTLZ2(b *testing.B) {
	for b.Loop() {
		Bench(context.Background(), "dtlz2", 100, 200, 1)
	}
}
