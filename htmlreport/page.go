package htmlreport

import "html/template"

// pageTemplate is the HTML document: inline CSS, no script, nothing loaded
// from elsewhere.
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>` + css + `</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
{{with .Command}}<p class="cmd"><code>{{.}}</code></p>{{end}}
</header>
{{range .Summaries}}<section class="summary {{if .OK}}ok{{else}}fail{{end}}">
<h2>{{.Heading}}</h2>
{{range .Lines}}<p>{{.}}</p>
{{end}}{{if .Counts}}<table class="counts"><tr><th>property</th><th>violated in</th></tr>
{{range .Counts}}<tr><td>{{if .Link}}<a href="#{{.Link}}">{{.Property}}</a>{{else}}{{.Property}}{{end}}</td><td class="num">{{.N}}</td></tr>
{{end}}</table>
{{end}}</section>
{{end}}{{with .Heatmap}}<section class="matrix" id="matrix">
<h2>{{.Heading}}</h2>
<div class="scroll"><table class="heatmap">
<thead><tr><th class="strategy">strategy</th><th class="num">executions</th>{{range .Properties}}<th class="prop"><span>{{.}}</span></th>{{end}}<th>world</th><th>expect</th></tr></thead>
<tbody>
{{range .Rows}}<tr class="row-{{.Expect}}"><th class="strategy">{{.Strategy}}</th><td class="num">{{.Executions}}</td>{{range .Cells}}<td class="cell {{.Class}}" style="{{.Style}}" title="{{.Title}}">{{if .Link}}<a href="#{{.Link}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}</td>{{end}}<td class="world {{.World}}" title="{{.WorldTitle}}">{{.World}}</td><td class="expect {{.Expect}}">{{.Expect}}{{with .Why}}<div class="why">{{.}}</div>{{end}}</td></tr>
{{end}}</tbody>
</table></div>
<p class="legend">Cells count the executions that violated each property (darker: a larger share of the row's executions); a link opens the first one.
<span class="key exp">expected</span> <span class="key unexp">not expected</span> <span class="key missing">expected, not reached</span>
(expect: from the scenario file; world: VACUOUS when a condition of the world was never met)</p>
{{with .Verdict}}<p class="verdict">{{.}}</p>{{end}}
</section>
{{end}}{{if .Sections}}<nav><h2>Violations</h2><ol>
{{range .Sections}}<li><a href="#{{.ID}}">{{.Heading}}</a>: {{.Title}}</li>
{{end}}</ol></nav>
{{end}}{{range .Sections}}<section class="violation" id="{{.ID}}">
<h2 class="bug-title">{{.Title}}</h2>
<p class="meta">{{.Heading}}</p>
<div class="scroll lanes">{{.Swim}}</div>
<p class="caption">{{.Caption}}</p>
<p class="legend"><span class="key bugkey">BUG</span> the violating step
{{if .Object}}<span class="key allockey">alloc</span> <span class="key freekey">kfree</span> of the object{{end}}{{if .Locks}} · locks held:{{range .Locks}} <span class="lockkey" style="border-left-color:{{.Color}}">{{.Name}}</span>{{end}}{{end}}
· hover a step for its details</p>
<details open><summary>report</summary>
<pre class="report">{{.Report}}</pre>
</details>
<p class="repro-label">reproduce:</p>
<pre class="repro">{{.Reproduce}}</pre>
</section>
{{end}}<footer>pcssim: same input, same bytes; this file loads nothing from elsewhere.</footer>
</body>
</html>
`))

// css styles the report; kept short and print-friendly.
const css = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:18px 0 8px}
code,pre{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}
.cmd code{background:#f3f3f3;padding:2px 6px;border-radius:3px}
section{border-top:1px solid #ddd;padding-top:6px;margin-top:18px}
section.summary.fail h2{color:#a00}
.scroll{overflow-x:auto}
table{border-collapse:collapse}
.counts td,.counts th{border:1px solid #ccc;padding:3px 10px;text-align:left}
.num{text-align:right;font-variant-numeric:tabular-nums}
.heatmap th,.heatmap td{border:1px solid #ccc;padding:4px 8px;font-size:13px}
.heatmap th.prop{vertical-align:bottom;height:130px;white-space:nowrap;padding:4px 2px}
.heatmap th.prop span{writing-mode:vertical-rl;transform:rotate(180deg)}
.heatmap th.strategy{text-align:left;white-space:nowrap}
.heatmap td.cell{min-width:44px;text-align:center;font-weight:600}
.heatmap td.cell a{color:inherit}
.heatmap td.exp{box-shadow:inset 0 0 0 2px #2e7d32}
.heatmap td.unexp{box-shadow:inset 0 0 0 3px #000}
.heatmap td.missing{box-shadow:inset 0 0 0 2px #e68a00;background:repeating-linear-gradient(45deg,#fff,#fff 4px,#fff3e0 4px,#fff3e0 8px)}
.heatmap td.expect.ok,.heatmap td.world.ok{color:#2e7d32;font-weight:600}
.heatmap td.expect.MISMATCH,.heatmap td.world.VACUOUS{color:#fff;background:#c00;font-weight:600}
.heatmap td.expect.none{color:#777}
.why{font-weight:normal;font-size:11px;max-width:360px}
.legend{font-size:12px;color:#444}
.key{display:inline-block;padding:0 6px;margin:0 2px;border-radius:3px;font-size:11px}
.key.exp{box-shadow:inset 0 0 0 2px #2e7d32}
.key.unexp{box-shadow:inset 0 0 0 3px #000}
.key.missing{box-shadow:inset 0 0 0 2px #e68a00}
.key.bugkey{background:#c00;color:#fff;font-weight:bold}
.key.allockey{background:#2e7d32;color:#fff;font-weight:bold}
.key.freekey{background:#333;color:#fff;font-weight:bold}
.lockkey{border-left:6px solid;padding-left:4px;margin-left:6px;font-family:monospace}
.verdict{font-weight:600}
.bug-title{color:#b00;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:15px}
.meta,.caption{color:#555;font-size:13px}
.lanes{border:1px solid #ddd;background:#fff}
pre.report{background:#fafafa;border:1px solid #e3e3e3;padding:8px;overflow-x:auto;line-height:1.35}
pre.repro{background:#f3f3f3;padding:6px 8px;white-space:pre-wrap;word-break:break-all}
.repro-label{margin-bottom:2px;font-weight:600}
nav ol{margin:4px 0;padding-left:22px;font-size:13px}
footer{margin-top:24px;color:#888;font-size:11px}
`
