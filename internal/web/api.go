package web

import (
	"encoding/json"
	"net/http"

	"github.com/policywatch/policywatch"
)

type apiHandler func(w http.ResponseWriter, r *http.Request) (any, error)

// serveAPI runs a JSON handler: its value as JSON (201 for a
// createdResponse), or its error as {"error","class"} with the status of
// its class in the error table (errors.go); the message is English.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, h apiHandler) {
	v, err := h(w, r)
	if err != nil {
		reply, msg := replyTo(err), err.Error()
		if reply == internalError {
			s.logRequestError(r, "api", "path", r.URL.Path, "err", err)
			msg = "internal error"
		}
		writeAPIError(w, reply.status, string(policywatch.ClassOf(err)), msg)
		return
	}
	status := http.StatusOK
	if created, ok := v.(createdResponse); ok {
		status, v = http.StatusCreated, created.body
	}
	writeJSON(w, status, v)
}

type createdResponse struct{ body any }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeAPIError(w http.ResponseWriter, status int, class, msg string) {
	writeJSON(w, status, map[string]string{"error": msg, "class": class})
}

// apiLang reads ?lang= (zh by default).
func apiLang(r *http.Request) (string, error) {
	switch lang := r.URL.Query().Get("lang"); lang {
	case "", "zh":
		return "zh", nil
	case "en":
		return "en", nil
	default:
		return "", policywatch.Errorf(policywatch.ErrInvalid, "lang %q: want zh or en", lang)
	}
}

// listJSON is each of xs as JSON; none is [], never null, as the API's
// lists are documented.
func listJSON[T, J any](xs []T, toJSON func(T) J) []J {
	out := make([]J, 0, len(xs))
	for _, x := range xs {
		out = append(out, toJSON(x))
	}
	return out
}
