// Command celcheck evaluates Flux-style health check expressions (a Kustomization's
// spec.healthCheckExprs) against objects, the way Flux's kustomize-controller does: a stale
// status.observedGeneration is InProgress, then inProgress, failed and current are tried in that
// order, and an object none of them matches is InProgress. The CEL environment has the options
// Flux's runtime/cel package sets. It reads one JSON request on stdin,
//
//	{"inProgress": "...", "failed": "...", "current": "...", "objects": [{...}, ...]}
//
// and prints one line per object: Current, Failed, InProgress, or Error: <why> when an
// expression cannot be evaluated on it (Flux then keeps waiting until its timeout).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/ext"
)

type request struct {
	InProgress string           `json:"inProgress"`
	Failed     string           `json:"failed"`
	Current    string           `json:"current"`
	Objects    []map[string]any `json:"objects"`
}

type rule struct {
	status  string
	program cel.Program
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fail("reading the request: %v", err)
	}
	env, err := cel.NewEnv(
		cel.HomogeneousAggregateLiterals(),
		cel.EagerlyValidateDeclarations(true),
		cel.DefaultUTCTimeZone(true),
		cel.CrossTypeNumericComparisons(true),
		cel.OptionalTypes(),
		ext.Strings(),
		ext.Sets(),
		ext.Encoders())
	if err != nil {
		fail("creating the CEL environment: %v", err)
	}
	rules := compile(env, req)
	for _, obj := range req.Objects {
		fmt.Println(evaluate(rules, obj))
	}
}

func compile(env *cel.Env, req request) []rule {
	var rules []rule
	for _, r := range []struct{ status, expr string }{
		{"InProgress", req.InProgress}, {"Failed", req.Failed}, {"Current", req.Current},
	} {
		if r.expr == "" {
			continue
		}
		ast, issues := env.Parse(r.expr)
		if issues != nil && issues.Err() != nil {
			fail("parsing %s expression %q: %v", r.status, r.expr, issues.Err())
		}
		program, err := env.Program(ast)
		if err != nil {
			fail("building %s expression: %v", r.status, err)
		}
		rules = append(rules, rule{r.status, program})
	}
	return rules
}

func evaluate(rules []rule, obj map[string]any) string {
	if stale(obj) {
		return "InProgress"
	}
	for _, r := range rules {
		out, _, err := r.program.Eval(obj)
		if err != nil {
			return "Error: " + err.Error()
		}
		matched, ok := out.Value().(bool)
		if !ok {
			return fmt.Sprintf("Error: %s expression gave %v, not a bool", r.status, out.Value())
		}
		if matched {
			return r.status
		}
	}
	return "InProgress"
}

// stale: status.observedGeneration exists and differs from metadata.generation.
func stale(obj map[string]any) bool {
	status, _ := obj["status"].(map[string]any)
	metadata, _ := obj["metadata"].(map[string]any)
	observed, found := status["observedGeneration"].(float64)
	generation, known := metadata["generation"].(float64)
	return found && known && observed != generation
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "celcheck: "+format+"\n", args...)
	os.Exit(2)
}
