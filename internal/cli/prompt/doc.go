// Package prompt is `--cli-auto-prompt`: the AWS CLI v2's auto-prompt mode
// for `cognate cognito-idp`, as a small line editor on a raw terminal with
// completion from the model (no AWS prose: the doc line says what the model
// says). It imports internal/model and golang.org/x/term and x/sys/unix.
//
// Mode resolves on, on-partial or off exactly as the AWS CLI does (the
// flags as raw tokens, then AWS_CLI_AUTO_PROMPT, then the profile's
// cli_auto_prompt; off when "help" or "--version" is an argument).
//
// Prompt supports exactly this (the same text is the Help constant, which
// the help pages print):
//
//   - One editing line, "> cognate " and the command line (the AWS CLI shows
//     "> aws "; Cognate shows the name it is run by), starting from what was
//     typed: each argument shell-quoted, --cli-auto-prompt removed, a space
//     added after a complete last word. The line scrolls sideways when
//     longer than the terminal; every character counts as one column.
//   - A suggestion list below the line, recomputed after every key, and a
//     doc line under it. Suggestions, filtered by the case-insensitive
//     prefix of the word before the cursor: "cognito-idp" first; then the
//     operation names (kebab case, sorted); then the operation's options not
//     yet given, the required ones first and marked "(required)", each with
//     its type ([string], [integer], [boolean], [list], [structure], [map],
//     [blob], [timestamp]), booleans as their --x and --no-x pair, then
//     --starting-token, --page-size and --max-items for paginated
//     operations, --cli-input-json, --cli-input-yaml and
//     --generate-cli-skeleton; a word starting with "-" lists the global
//     options too. After an option whose value (or list element) has an
//     enum, its values (a list's values not yet given); after --output,
//     --color, --cli-binary-format, --cli-error-format and
//     --generate-cli-skeleton, their choices; "--name=" completes the value
//     too. Options typed as unambiguous prefixes count as given, as argparse
//     reads them. Nothing else is completed: not shorthand keys, file
//     paths, profiles, regions or resource names.
//   - The doc line shows the highlighted suggestion's facts from the model:
//     type, required mark, length or range, pattern, enum values, a
//     structure's members; with nothing highlighted, those of the option
//     being given a value, else the operation's required options.
//   - Keys: characters insert; Left/Right (Ctrl-B/F), Home/End (Ctrl-A/E),
//     Alt-B/F and Ctrl-Left/Right by word, Backspace, Delete, Ctrl-U (delete
//     to the start), Ctrl-K (to the end), Ctrl-W and Alt-Backspace (the word
//     before the cursor); Up/Down (Ctrl-P/N) and Shift-Tab move the
//     highlight through the list; Tab accepts the highlighted suggestion,
//     else the only one, else completes the suggestions' common prefix,
//     else highlights the first; Enter accepts the highlighted suggestion,
//     else runs the line; Esc removes the highlight; Ctrl-L redraws;
//     Ctrl-C and Ctrl-D give up. Pasted text (bracketed paste) is inserted
//     with its line breaks as spaces.
//   - Enter on a line with an open quote says so and keeps prompting; on a
//     line without an operation, or lacking a required option, it says so
//     once, and a second Enter runs the line as it is.
//   - On Enter the prompt's lines are erased and "> cognate <line>" is
//     written, as the AWS CLI does before running; the line is split as
//     shlex.split splits it. On Ctrl-C or Ctrl-D (or SIGINT, SIGTERM,
//     SIGHUP) the lines are erased and the caller writes "> cognate <line>"
//     to stderr and exits 130. The terminal's mode is restored on every way
//     out. Not supported: the AWS CLI's doc panel (F3), output panel (F5),
//     history (Ctrl-R), multi-column list (F4), help panel (F1) and
//     fuzzy matching.
//
// The core is a pure state machine, Editor (keys in with Handle, screen
// lines out with Render), fed by Decoder (bytes to keys); Prompt only
// moves bytes between them and the terminal.
package prompt

// Help is the paragraph the help pages print about auto-prompt.
const Help = `--cli-auto-prompt prompts for the command on a terminal: an editing line
"> cognate <command line>" with a suggestion list below it and a doc line.
It completes "cognito-idp", the operation names, the operation's options
not yet given (required ones first, marked "(required)", each with its
type; booleans as --x/--no-x; global options once the word starts with
"-"), and the values of options with enum values or choices. The doc line
shows the highlighted option's type, required mark, length or range,
pattern and enum values, from the model. Keys: Tab completes, Up/Down
choose, Enter takes the chosen suggestion or runs the line (a missing
operation or required option is pointed out once; Enter again runs it
anyway), Left/Right/Home/End, Backspace/Delete, Ctrl-U/Ctrl-K/Ctrl-W edit,
Esc drops the choice, Ctrl-C/Ctrl-D give up (exit code 130). Shorthand keys,
file paths, profiles and regions are not completed; there is no doc panel,
history or fuzzy matching. Modes: --cli-auto-prompt or AWS_CLI_AUTO_PROMPT=on
or cli_auto_prompt = on in the profile prompt every time; on-partial prompts
only after a parameter error (exit code 252); --no-cli-auto-prompt, "help"
and --version turn it off.`
