"""Write the corpus texts from the fetched mirrors, as listed in sources.json (byte-exact, no cleaning)."""
import json, re, subprocess, sys
from pathlib import Path

MIRROR = Path("/work/.mirror")

def show(repo, commit, path):
    git = MIRROR / repo.replace("/", "+") / "repo"
    return subprocess.run(["git", "-C", str(git), "show", f"{commit}:{path}"], capture_output=True, check=True).stdout

def select(data: bytes, sel):
    if not sel:
        return data
    text = data.decode("utf-8")
    lines = text.splitlines(keepends=True)
    starts = [i for i, l in enumerate(lines) if l.startswith(sel["heading"] + " ")]
    i = starts[sel["index"]]
    stop = re.compile(sel.get("until", r"^#{1,%d} " % len(sel["heading"])))
    j = i + 1
    while j < len(lines) and not stop.match(lines[j]):
        j += 1
    return "".join(lines[i:j]).encode("utf-8")

def main(manifest, out_root):
    for src in json.loads(Path(manifest).read_text(encoding="utf-8")):
        data = select(show(src["repo"], src["commit"], src["path"]), src.get("select"))
        out = Path(out_root) / src["batch"] / src["file"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        print(out, len(data))

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
