package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/fetch"
	"github.com/policywatch/policywatch/internal/jsonview"
)

// editCommand changes a policy's settings; only the flags given change.
func (a *app) editCommand() *cobra.Command {
	var (
		name, platform, url, sel, render, every, kind, format string
		remove                                                []string
		pause, resume                                         bool
	)
	cmd := &cobra.Command{
		Use:   "edit ID [--name N] [--platform P] [--url URL] [--select CSS] [--remove CSS]... [--render M] [--every D] [--pause|--resume]",
		Short: "Change a policy's settings, pause or resume it",
		Example: `  policywatch edit 3 --select "#privacy-content" --remove ".share" --remove ".toc"
  policywatch edit 3 --pause
  policywatch edit 7 --url https://www.example.com/privacy   # start fetching an imported policy`,
		Args: exactArgs(1, "a policy id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if pause && resume {
				return usagef("--pause and --resume contradict each other")
			}
			p, st, err := a.openPolicy(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			changed := cmd.Flags().Changed
			if changed("name") {
				if p.Name = strings.TrimSpace(name); p.Name == "" {
					return usagef("--name cannot be empty")
				}
			}
			if changed("platform") {
				if p.Platform = strings.TrimSpace(platform); p.Platform == "" {
					return usagef("--platform cannot be empty")
				}
			}
			if changed("url") {
				if err := fetch.CheckURL(url); err != nil {
					return usageError{err}
				}
				p.URL = strings.TrimSpace(url)
			}
			if changed("select") {
				p.Select = sel
			}
			if changed("remove") {
				p.Remove = nonEmpty(remove)
			}
			if changed("render") {
				if p.Render, err = policywatch.ParseRenderMode(render); err != nil {
					return usageError{err}
				}
			}
			if changed("every") {
				if p.Interval, err = policywatch.ParseInterval(every); err != nil {
					return usagef("--every: %v", err)
				}
			}
			if changed("kind") {
				if p.Kind, err = policywatch.ParseKind(kind); err != nil {
					return usageError{err}
				}
			}
			if pause {
				p.Status = policywatch.StatusPaused
			}
			if resume {
				p.Status = policywatch.StatusActive
			}
			if err := p.Validate(); err != nil {
				return usageError{err}
			}
			if err := st.UpdatePolicy(cmd.Context(), p); err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.stdout, jsonview.NewPolicy(p))
			}
			fmt.Fprintf(a.stdout, "Policy %d: %s / %s (%s)\n", p.ID, p.Platform, p.Name, p.Status)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "new name")
	f.StringVar(&platform, "platform", "", "new platform")
	f.StringVar(&url, "url", "", "new URL")
	f.StringVar(&sel, "select", "", `CSS selector of the policy text ("" to find it automatically)`)
	f.StringArrayVar(&remove, "remove", nil, `CSS selector of parts to drop; replaces the list (--remove "" clears it)`)
	f.StringVar(&render, "render", "", "auto, http or browser")
	f.StringVar(&every, "every", "", "check interval, e.g. 12h or 7d")
	f.StringVar(&kind, "kind", "", "privacy, children, sdk or terms")
	f.BoolVar(&pause, "pause", false, "stop checking it (history is kept)")
	f.BoolVar(&resume, "resume", false, "check it again")
	formatOption(cmd, &format, "text", "json")
	return cmd
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			out = append(out, x)
		}
	}
	return out
}
