import json, subprocess, os, sys
build=sys.argv[2]
here=sys.argv[1]
cases=json.load(open(os.path.join(here,'cases.json')))
ltf=os.path.join(build,'Testing/Temporary/LastTestsFailed.log')
for c in cases:
    if 'ltf' in c:
        if c['ltf'] is None:
            if os.path.exists(ltf): os.remove(ltf)
        else:
            os.makedirs(os.path.dirname(ltf), exist_ok=True)
            open(ltf,'w').write(c['ltf'])
    r=subprocess.run(['ctest','-N']+c['args'],cwd=build,capture_output=True,env=dict(os.environ,PWD=build))
    assert r.returncode==0,(c,r)
    assert r.stderr==b'',(c,r.stderr)
    open(os.path.join(here,c['name']+'.txt'),'wb').write(r.stdout)
