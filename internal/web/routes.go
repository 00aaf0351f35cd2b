package web

import "net/http"

// routes is every route of the server, each with its wrapper: read (a page,
// public unless reading needs login), admin (a form only administrators
// see), write (a form post: session and CSRF token), apiRead and apiWrite
// (JSON; writes need the Bearer token). All of them pass through the
// failure limit and the security headers (middleware.go).
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	// Assets and operations.
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticFiles()))
	mux.HandleFunc("GET /favicon.ico", favicon)
	mux.HandleFunc("GET /healthz", s.health)
	mux.Handle("GET /metrics", s.metricsHandler())

	// Pages.
	mux.HandleFunc("GET /{$}", s.read(s.home))
	mux.HandleFunc("GET /policies/{id}", s.read(s.policyPage))
	mux.HandleFunc("GET /compare", s.read(s.comparePage))
	mux.HandleFunc("GET /compare.patch", s.read(s.comparePatch))
	mux.HandleFunc("GET /versions/{id}", s.read(s.versionPage))
	mux.HandleFunc("GET /policies/{id}/profile", s.read(s.profilePage))
	mux.HandleFunc("GET /matrix", s.read(s.matrixPage))
	mux.HandleFunc("GET /changes", s.read(s.changesPage))
	mux.HandleFunc("GET /platforms/{name}", s.read(s.platformPage))
	mux.HandleFunc("GET /search", s.read(s.searchPage))
	mux.HandleFunc("GET /feed.atom", s.read(s.feedAll))
	mux.HandleFunc("GET /platforms/{name}/feed.atom", s.read(s.feedPlatform))
	mux.HandleFunc("GET /policies/{id}/feed.atom", s.read(s.feedPolicy))

	// Login and the administrators' forms.
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.write(s.logout))
	mux.HandleFunc("GET /policies/new", s.admin(s.newPolicyForm))
	mux.HandleFunc("POST /policies", s.write(s.createPolicy))
	mux.HandleFunc("GET /policies/{id}/edit", s.admin(s.editPolicyForm))
	mux.HandleFunc("POST /policies/{id}/edit", s.write(s.updatePolicy))
	mux.HandleFunc("POST /policies/{id}/pause", s.write(s.pausePolicy(true)))
	mux.HandleFunc("POST /policies/{id}/resume", s.write(s.pausePolicy(false)))
	mux.HandleFunc("POST /policies/{id}/check", s.write(s.checkPolicy))
	mux.HandleFunc("GET /policies/{id}/delete", s.admin(s.deletePolicyForm))
	mux.HandleFunc("POST /policies/{id}/delete", s.write(s.deletePolicy))
	mux.HandleFunc("GET /policies/import", s.admin(s.importPolicyForm))
	mux.HandleFunc("POST /policies/import", s.upload(s.importPolicies, maxImport))
	mux.HandleFunc("POST /compare/analyze", s.write(s.reanalyze))
	mux.HandleFunc("GET /subscriptions", s.admin(s.subscriptionsPage))
	mux.HandleFunc("POST /subscriptions", s.write(s.createSubscription))
	mux.HandleFunc("POST /subscriptions/{id}/delete", s.write(s.deleteSubscription))
	mux.HandleFunc("GET /deliveries", s.admin(s.deliveriesPage))

	// The JSON API.
	mux.HandleFunc("GET /api/v1/policies", s.apiRead(s.apiPolicies))
	mux.HandleFunc("GET /api/v1/policies/{id}", s.apiRead(s.apiPolicy))
	mux.HandleFunc("GET /api/v1/policies/{id}/versions", s.apiRead(s.apiVersions))
	mux.HandleFunc("GET /api/v1/versions/{id}", s.apiRead(s.apiVersion))
	mux.HandleFunc("GET /api/v1/compare", s.apiRead(s.apiCompare))
	mux.HandleFunc("POST /api/v1/policies", s.apiWrite(s.apiCreatePolicy))
	mux.HandleFunc("PATCH /api/v1/policies/{id}", s.apiWrite(s.apiUpdatePolicy))
	mux.HandleFunc("DELETE /api/v1/policies/{id}", s.apiWrite(s.apiDeletePolicy))
	mux.HandleFunc("POST /api/v1/policies/{id}/check", s.apiWrite(s.apiCheckPolicy))
	mux.HandleFunc("POST /api/v1/analyze", s.apiWrite(s.apiAnalyze))
	mux.HandleFunc("GET /api/v1/policies/{id}/profile", s.apiRead(s.apiProfile))
	mux.HandleFunc("GET /api/v1/matrix", s.apiRead(s.apiMatrix))
	mux.HandleFunc("GET /api/v1/changes", s.apiRead(s.apiChanges))
	mux.HandleFunc("GET /api/v1/search", s.apiRead(s.apiSearch))

	// Anything else: the not-found page.
	mux.HandleFunc("/", s.read(s.notFound))
	return securityHeaders(s.limitFailures(mux))
}
