package web

import (
	"embed"
	"io/fs"
	"net/http"
	"time"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded stylesheet, script and icon, cached for
// a day.
func staticFiles() http.Handler {
	static, _ := fs.Sub(staticFS, "static")
	return cacheFor(24*time.Hour, http.FileServerFS(filesOnly{static}))
}

// favicon sends browsers that ask for /favicon.ico to the SVG icon.
func favicon(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
}

// filesOnly serves the files of an fs.FS and none of its directories: a
// directory is not found, so http.FileServer lists none and serves no
// index page.
type filesOnly struct{ fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := file.Stat()
	if err != nil || info.IsDir() {
		file.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return file, nil
}

// cacheFor lets browsers and proxies keep a response for d.
func cacheFor(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age="+itoa(int(d/time.Second)))
		next.ServeHTTP(w, r)
	})
}
