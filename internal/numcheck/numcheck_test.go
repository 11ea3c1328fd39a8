package numcheck

import (
	"math"
	"strings"
	"testing"
)

func TestChecks(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name string
		err  error
		want string // "" for no error
	}{
		{"finite", Finite("alpha", 0.5), ""},
		{"nan", Finite("alpha", nan), "alpha NaN: must be a finite number"},
		{"inf", Finite("alpha", inf), "alpha +Inf: must be a finite number"},
		{"-inf", Finite("alpha", -inf), "alpha -Inf: must be a finite number"},
		{"range ok", FloatRange("alpha", 1, -10, 10), ""},
		{"range edge", FloatRange("alpha", -10, -10, 10), ""},
		{"range low", FloatRange("alpha", -11, -10, 10), "alpha -11: must be from -10 to 10"},
		{"range high", FloatRange("alpha", 1e9, -10, 10), "alpha 1e+09: must be from -10 to 10"},
		{"range nan", FloatRange("alpha", nan, -10, 10), "alpha NaN: must be a finite number"},
		{"positive", Positive("step", 0.1), ""},
		{"positive zero", Positive("step", 0), "step 0: must be above 0"},
		{"positive inf", Positive("step", inf), "step +Inf"},
		{"nonneg zero", NonNegative("max_params", 0), ""},
		{"nonneg -1", NonNegative("max_params", -1), "max_params -1: must be at least 0"},
		{"nonneg nan", NonNegative("max_params", nan), "must be a finite number"},
		{"int ok", IntRange("threads", 2, 1, 64), ""},
		{"int low", IntRange("threads", 0, 1, 64), "threads 0: must be from 1 to 64"},
		{"int high why", IntRange("threads", 1000, 1, 64, "MaxThreads"), "threads 1000: must be from 1 to 64 (MaxThreads)"},
	} {
		switch {
		case tc.want == "" && tc.err != nil:
			t.Errorf("%s: %v", tc.name, tc.err)
		case tc.want != "" && (tc.err == nil || !strings.Contains(tc.err.Error(), tc.want)):
			t.Errorf("%s: error %v, want %q", tc.name, tc.err, tc.want)
		}
	}
}
