// go-note-check: an independent check of Besa's signed notes with golang.org/x/mod/sumdb/note,
// the reference implementation of c2sp.org/signed-note by the specification's authors (Debian
// package golang-golang-x-mod-dev). Used by src/modules/transparency/go-note.test.ts (ADR 0012).
//
//	go-note-check -vkey VKEY_FILE -note NOTE_FILE
//	    opens the note with the verifier key; prints the verified text and exits 0, or prints
//	    why not on standard error and exits 1. Signatures of other keys (witnesses) are ignored.
//	go-note-check -sign KEY_NAME -text TEXT_FILE
//	    makes an Ed25519 key named KEY_NAME (note.GenerateKey), signs the text with it
//	    (note.NewSigner, note.Sign) and prints {"vkey": …, "note": …} as JSON.
//
// Build offline in GOPATH mode (no module download):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off GOCACHE=$(mktemp -d) go build -o go-note-check ./scripts/go-note-check
package main

import (
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "go-note-check: "+format+"\n", args...)
	os.Exit(1)
}

func read(path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-note-check: %v\n", err)
		os.Exit(2)
	}
	return data
}

func main() {
	vkeyPath := flag.String("vkey", "", "file holding the verifier key")
	notePath := flag.String("note", "", "file holding the signed note")
	signName := flag.String("sign", "", "sign: the key name of a new Ed25519 key")
	textPath := flag.String("text", "", "sign: file holding the note text")
	flag.Parse()

	if *signName != "" {
		if *textPath == "" {
			fail("-sign needs -text")
		}
		skey, vkey, err := note.GenerateKey(rand.Reader, *signName)
		if err != nil {
			fail("generate key: %v", err)
		}
		signer, err := note.NewSigner(skey)
		if err != nil {
			fail("signer: %v", err)
		}
		signed, err := note.Sign(&note.Note{Text: string(read(*textPath))}, signer)
		if err != nil {
			fail("sign: %v", err)
		}
		out, _ := json.Marshal(map[string]string{"vkey": vkey, "note": string(signed)})
		fmt.Println(string(out))
		return
	}

	if *vkeyPath == "" || *notePath == "" {
		fmt.Fprintln(os.Stderr, "usage: go-note-check -vkey VKEY_FILE -note NOTE_FILE | -sign KEY_NAME -text TEXT_FILE")
		os.Exit(2)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(read(*vkeyPath))))
	if err != nil {
		fail("verifier key: %v", err)
	}
	n, err := note.Open(read(*notePath), note.VerifierList(verifier))
	if err != nil {
		fail("note does not verify: %v", err)
	}
	fmt.Print(n.Text)
}
