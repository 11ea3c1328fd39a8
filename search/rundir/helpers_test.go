package rundir_test

import (
	"encoding/json"
	"os"
)

func jsonFile(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}
