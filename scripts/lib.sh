# Shared helpers for the set-up scripts: the download cache and Debian lookups.
CACHE=${MVM_CACHE:-$HOME/.cache/mvm}
DEBS=$CACHE/debs
mkdir -p "$DEBS"

# Newest ABI (e.g. 6.1.0-50) for which package pattern PKG_PREFIX-<abi>-SUFFIX
# exists in the archive; the cache wins so a second run never asks apt.
newest_abi() {
	local suffix=$1
	apt-cache search --names-only "^linux-image-6\.1\.0-[0-9]+-$suffix\$" 2>/dev/null |
		sed -n "s/^linux-image-\(6\.1\.0-[0-9]*\)-$suffix .*/\1/p" |
		sort -t- -k2,2n | tail -1
}

# fetch_deb NAME[:ARCH] -> prints the path of the cached .deb
fetch_deb() {
	local spec=$1 name=${1%%:*} f
	f=$(ls "$DEBS"/"${name}"_*.deb 2>/dev/null | head -1 || true)
	if [ -z "$f" ]; then
		(cd "$DEBS" && apt-get download "$spec" >/dev/null 2>&1) ||
			{ apt-get update -qq && (cd "$DEBS" && apt-get download "$spec" >/dev/null); }
		f=$(ls "$DEBS"/"${name}"_*.deb | head -1)
	fi
	echo "$f"
}
