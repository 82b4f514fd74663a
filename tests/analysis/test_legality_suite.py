"""Loops with known answers: verdict and exact pragma (or the reason code when not parallel)."""
import pytest

from tests.conftest import loops_of

PF = "#pragma omp parallel for"

# (id, code, loop index in preorder, expected pragma or None, expected first reason code)
CASES = [
    # ---- review: element macros
    ("element-macro-reads-a-variable-the-loop-writes", "double a[2000];int off;\n#define AT(i) a[(i)+off]\nvoid f(int n){for(int j=0;j<n;j++){AT(j)=j;off=1;}}", 0, None, "MACRO-EFFECT"),
    ("element-macro-redefined-before-the-loop", "double a[2000];\nvoid f(int n){\n#define AT(i) a[0]\n  for(int j=0;j<n;j++){AT(j)=j;}\n}\n#undef AT\n#define AT(i) a[i]\n", 0, None, "DEP-CARRIED"),
    # a function whose head a test framework's macro writes, 'CTEST_SETUP(api) { ... }' (splatt's tests)
    ("macro-function-head", "double x[100];\nTEST_SETUP(api)\n{\n  for(int i=0;i<100;i++) x[i]=0;\n}", 0, PF, "OMP-PARALLEL"),
    # 'else // comment' (sw4lite): the branch is the statement after the comment
    ("else-then-comment", "double a[100];void f(int c){if(c){a[0]=1;} else // none\n {for(int i=0;i<100;i++) a[i]=0;}}", 0, PF, "OMP-PARALLEL"),
    # ---- arrays: exact dependence tests
    # a function-like macro that is an element ('#define rho(i,j) a_rho[...]') is an access
    ("macro-element-linearized", "#define rho(i,j) a_rho[(i-i0)+ni*(j-j0)]\nvoid f(double*a_rho,int i0,int j0,int ni,int n,int m){for(int j=j0;j<j0+m;j++) for(int i=i0;i<i0+n;i++) rho(i,j)=2*rho(i,j);}", 0, PF, "OMP-PARALLEL"),
    # '(i)+ni*(j)' in a macro body is 'i + ni*j', not a cast of '+ni' to a type 'i'
    ("macro-element-parenthesized-parameters", "#define lu(c,i,j) a_lu[b+(i)+ni*(j)+nij*(c)]\nvoid f(double*a_lu,int b,int ni,int nij,int n){for(int j=0;j<n;j++) for(int i=0;i<n;i++) lu(1,i,j)=lu(1,i,j)*2;}", 0, PF, "OMP-PARALLEL"),
    # OpenMP's lock set-up touches the one lock it is given
    ("omp-init-lock-own-element", "#include <omp.h>\nvoid f(omp_lock_t *locks,int n){for(int i=0;i<n;i++) omp_init_lock(&locks[i]);}", 0, PF, "OMP-PARALLEL"),
    ("omp-init-lock-same-element", "#include <omp.h>\nvoid f(omp_lock_t *locks,int n){for(int i=0;i<n;i++) omp_init_lock(&locks[0]);}", 0, None, "DEP-CARRIED"),
    ("omp-destroy-lock-shared-scalar", "#include <omp.h>\nomp_lock_t one;void f(int n){for(int i=0;i<n;i++) omp_destroy_lock(&one);}", 0, None, "SCALAR-CARRIED"),
    ("macro-element-dependence", "#define AT(i) a[i]\nvoid f(double*a,int n){for(int i=1;i<n;i++) AT(i)=AT(i-1);}", 0, None, "DEP-CARRIED"),
    # linear variables: OpenMP's step counts logical iterations, whatever the loop's own step, and
    # may be a stride the loop does not change (reference BLAS's 'ix += incx')
    ("linear-in-a-strided-loop", "int f(void){int i,b=0,c=0;for(i=0;i<64;i+=4){c=c+(b!=7+(i/4)*3);b=b+3;}return c;}", 0, PF + " reduction(+:c) linear(b:3)", "OMP-PARALLEL"),
    ("linear-by-an-invariant-stride", "double f(int num,const double*arr,int L){int i,k=0;double s=0;for(i=0;i<num;++i){double cur=arr[k];k+=L;s+=cur;}return s;}", 0, PF + " reduction(+:s) linear(k:L)", "OMP-PARALLEL"),
    ("linear-strides-of-reference-blas", "void daxpy(int n,double a,const double*x,int incx,double*y,int incy){int ix=0,iy=0;for(int i=0;i<n;i++){y[iy]+=a*x[ix];ix+=incx;iy+=incy;}}", 0, PF + " linear(ix:incx) linear(iy:incy)", "OMP-PARALLEL"),
    # (review, unsafe) a stride of another width or signedness wraps or negates differently; a
    # global stride may be written through a pointer, or be threadprivate; a reference may alias
    ("linear-unsigned-stride-subtracted", "long A[100];long f(void){long ix=1000;unsigned incx=3;for(int i=0;i<100;i++){A[i]=ix;ix-=incx;}return ix;}", 0, None, "SCALAR-CARRIED"),
    ("linear-wider-stride-wraps", "double y[8];void acc(int n,long incy){int iy=0;for(int i=0;i<n;i++){y[iy]+=1.0;iy+=incy;}}", 0, None, "SCALAR-CARRIED"),
    ("linear-global-stride-written-through-pointer", "long b[100];int inc=1;void f(int*p,int n){long ix=0;for(int i=0;i<n;i++){if(i==10)*p=2;b[i]=ix;ix+=inc;}}", 0, None, "SCALAR-CARRIED"),
    ("threadprivate-global-read", "long A[100];int inc=1;\n#pragma omp threadprivate(inc)\nvoid f(void){for(int i=0;i<100;i++) A[i]+=inc;}", 0, None, "THREAD-LOCAL"),
    ("linear-typedef-of-bool", "typedef _Bool flag;int A[100];void f(void){flag g=0;for(int i=0;i<100;i++){A[i]=g;g-=1;}}", 0, None, "SCALAR-CARRIED"),
    ("linear-stride-named-val", "double f(int n,const double*x,int val){int k=0;double t=0;for(int i=0;i<n;i++){t+=x[k];k+=val;}return t;}", 0, PF + " reduction(+:t) linear(k:(val))", "OMP-PARALLEL"),
    # (review, unsafe) a copy of the stride's address changes it mid-loop; and a scalar read by name
    # that a copy of a pointer to it writes
    ("linear-stride-written-through-a-copied-address", "double x[400],y[400];void f(int n,double a,int incx){int ix=0;int*p=&incx;int*q=p;for(int i=0;i<n;i++){y[i]+=a*x[ix];ix+=incx;if(i==5)*q=1;}}", 0, None, "SCALAR-CARRIED"),
    ("scalar-written-through-a-copied-pointer", "double x[400],y[400];void f(int n,double a,int incx){int*p=&incx;int*q=p;for(int i=0;i<n;i++){y[i]+=a*x[i*incx];if(i==5)*q=1;}}", 0, None, "ALIAS-UNKNOWN"),
    ("threadprivate-list-continued-with-a-comment", "long A[100];int other,tp=1;\n#pragma omp threadprivate(other, \\\n  tp /* the counter */)\nvoid f(void){for(int i=0;i<100;i++) A[i]+=tp;}", 0, None, "THREAD-LOCAL"),
    ("threadprivate-by-operator", "long A[100];int tp=1;\n_Pragma(\"omp threadprivate(tp)\")\nvoid f(void){for(int i=0;i<100;i++) A[i]+=tp;}", 0, None, "THREAD-LOCAL"),
    ("linear-quotient-is-no-subscript", "int a[2000];void f(void){int iy=0;for(int i=0;i<1000;i+=2){a[iy+1]=a[iy]+1;iy+=1;}}", 0, None, "DEP-UNKNOWN"),
    ("linear-stride-changed-in-loop", "double f(int n,const double*x){int k=0,s=1;double t=0;for(int i=0;i<n;i++){t+=x[k];k+=s;s++;}return t;}", 0, None, "SCALAR-CARRIED"),
    ("linear-stride-not-an-integer", "double f(int n,const double*x,double d){int k=0;double t=0;for(int i=0;i<n;i++){t+=x[k];k+=d;}return t;}", 0, None, "SCALAR-CARRIED"),
    # a linearized layout whose strides the bounds do not bound: legal under a stated condition
    ("linearized-rows-assumed", "void f(int n,int m,int ld,double*restrict a,const double*restrict b){for(int j=0;j<m;j++) for(int i=0;i<n;i++) a[i+j*ld]=b[i+j*ld];}", 0, PF, "OMP-PARALLEL"),
    # found by the differential test (seed 989): a trip count that varies with the enclosing loop
    # through '%' can be zero, and lastprivate then leaves the older value
    ("lastprivate-trip-count-modulo-outer", "unsigned a[100];double q[80][80];void f(void){int i,j=0;for(i=1;i<64;i++){for(j=1;j<i%4+1;j++) q[i+1][j-1]=q[j][i]*0.5;a[i]=(unsigned)j;}}", 1, None, "SCALAR-LIVEOUT"),
    ("linearized-rows-assumed-next-row", "void f(int n,int m,int ld,double*restrict a){for(int j=0;j<m-1;j++) for(int i=0;i<n;i++) a[i+(j+1)*ld]=a[i+j*ld];}", 0, None, "DEP-CARRIED"),
    ("linearized-rows-contradicted-by-bounds", "void f(int n,int m,double*restrict a){for(int i=0;i<m;i++) for(int k=0;k<2*n;k++) a[i*n+k]=k;}", 0, None, "DEP-CARRIED"),
    ("linearized-three-strides", "void f(int ni,int nij,int n,double*restrict u){for(int k=0;k<n;k++) for(int j=0;j<n;j++) for(int i=0;i<n;i++) u[i+ni*j+nij*k]*=2;}", 0, PF, "OMP-PARALLEL"),
    # a subscript that is not affine (a counter) is any element of its row when another subscript
    # keeps the iterations apart (CoSP2's sparseSetX2), on a stated assumption
    ("opaque-column-own-row", "struct M{int*iia;double**val;};\nvoid f(struct M*x,const struct M*y,int n,double e){for(int i=0;i<n;i++){int l=0;for(int j=0;j<y->iia[i];j++){double t=y->val[i][j];if(t>e){x->val[i][l]=t;l++;}}x->iia[i]=l;}}", 0, PF + " schedule(guided)", "OMP-PARALLEL"),
    ("opaque-row-own-column", "void f(double a[100][100],const int*idx,int n){for(int i=0;i<n;i++) a[idx[i]][i]=1;}", 0, PF, "OMP-PARALLEL"),
    ("opaque-column-next-row", "void f(double a[100][100],const int*idx,int n){for(int i=0;i<n;i++) a[i][idx[i]]=a[i+1][idx[i]];}", 0, None, "DEP-CARRIED"),
    ("opaque-row-fixed-column", "void f(double a[100][100],const int*idx,int n){for(int i=0;i<n;i++) a[idx[i]][0]=i;}", 0, None, "INDIRECT-WRITE"),
    ("opaque-column-inner-row", "void f(double a[100][100],const int*idx,int n){for(int i=0;i<n;i++) for(int j=0;j<n;j++) a[j][idx[i]]=i;}", 0, None, "INDIRECT-WRITE"),
    ("opaque-column-same-row-every-iteration", "void f(double**a,int n){int l=0;for(int i=0;i<n;i++){a[0][l]=i;l+=i%2;}}", 0, None, "SCALAR-CARRIED"),
    ("opaque-column-private-counter-shared-row", "void f(double**a,const int*c,int n){for(int i=0;i<n;i++){int l=c[i]*c[i];a[1][l]=i;}}", 0, None, "DEP-UNKNOWN"),
    ("copy", "void f(int n,double*restrict a,double*restrict b){for(int i=0;i<n;i++) a[i]=b[i];}", 0, PF, "OMP-PARALLEL"),
    ("shift-right", "double a[100];void f(int n){for(int i=0;i<n;i++) a[i]=a[i+1];}", 0, None, "DEP-CARRIED"),
    ("shift-left", "double a[100];void f(int n){for(int i=1;i<n;i++) a[i]=a[i-1]+1;}", 0, None, "DEP-CARRIED"),
    ("half-offset", "double a[100];void f(int n){for(int i=0;i<n/2;i++) a[i]=a[i+n/2];}", 0, PF, "OMP-PARALLEL"),
    ("half-offset-too-far", "double a[100];void f(int n){for(int i=0;i<n/2+1;i++) a[i]=a[i+n/2];}", 0, None, "DEP-CARRIED"),
    ("even-odd", "double a[200];void f(int n){for(int i=0;i<n;i++) a[2*i]=a[2*i+1];}", 0, PF, "OMP-PARALLEL"),
    ("stride2-gcd", "double a[200];void f(int n){for(int i=0;i<n;i+=2) a[i]=a[i+1];}", 0, PF, "OMP-PARALLEL"),
    ("stride2-dep", "double a[200];void f(int n){for(int i=0;i<n;i+=2) a[i]=a[i+2];}", 0, None, "DEP-CARRIED"),
    ("const-trip-far", "double a[200];void f(void){for(int i=0;i<50;i++) a[i]=a[i+50];}", 0, PF, "OMP-PARALLEL"),
    # a fixed element (or a small fixed section) updated by every iteration: an array-section reduction
    ("same-element", "double a[10];void f(int n,double*restrict b){for(int i=0;i<n;i++) a[0]+=b[i];}", 0, PF + " reduction(+:a)", "OMP-PARALLEL"),
    ("same-element-pointer", "void f(int n,const double*restrict x,double*restrict count){for(int i=0;i<n;i++) count[0]+=x[i];}", 0, PF + " reduction(+:count[0:1])", "OMP-PARALLEL"),
    ("same-element-max", "void f(int n,const double*restrict x,double*restrict g){for(int i=0;i<n;i++) g[2]=g[2]>x[i]?g[2]:x[i];}", 0, PF + " reduction(max:g[2:1])", "OMP-PARALLEL"),
    # an element the loop does not move ('c[k]', k unchanged), on a stated non-negative start
    ("invariant-element-pointer", "void f(int n,int k,const double*restrict t,double*restrict c){for(int l=0;l<n;l++) c[k]+=t[l];}", 0, PF + " reduction(+:c[k:1])", "OMP-PARALLEL"),
    ("invariant-element-pointer-2", "void f(int n,int k,const double*restrict t,double*restrict c){for(int l=0;l<n;l++) c[2*k+1]+=t[l];}", 0, PF + " reduction(+:c[1 + 2*k:1])", "OMP-PARALLEL"),
    # (review) an index spelled by a macro, a copy of the pointer, an integer summing doubles: no section
    ("invariant-element-macro", "#define K (l & 1)\nvoid f(int n,const double*restrict t,double*restrict c){int l;for(l=0;l<n;l++) c[K]+=t[l];}", 0, None, "DEP-CARRIED"),
    ("invariant-element-copy", "void f(int n,int k,const double*restrict t,double*restrict c,double*restrict o){double*d=c;for(int l=0;l<n;l++){c[k]+=t[l];o[l]=d[k];}}", 0, None, "DEP-CARRIED"),
    ("invariant-element-int-of-doubles", "void f(int n,int k,const double*restrict t,int*restrict c){for(int l=0;l<n;l++) c[k]+=t[l];}", 0, None, "DEP-CARRIED"),
    # (a declared array would be reduced whole, a private copy per thread for one element)
    ("invariant-element-array", "double c[8];void f(int n,int k,const double*restrict t){for(int l=0;l<n;l++) c[2*k+1]+=t[l];}", 0, None, "DEP-CARRIED"),
    ("moving-element", "void f(int n,int k,const double*restrict t,double*restrict c){for(int l=0;l<n;l++){c[k]+=t[l];k+=t[l]>0;}}", 0, None, "SCALAR-CARRIED"),
    ("same-element-read-elsewhere", "void f(int n,double*restrict x,double*restrict g){for(int i=0;i<n;i++){g[0]+=x[i];x[i]=g[0];}}", 0, None, "DEP-CARRIED"),
    ("same-element-assigned", "void f(int n,const double*restrict x,double*restrict g){for(int i=0;i<n;i++) g[0]=x[i];}", 0, None, "DEP-CARRIED"),
    # a repetition loop: its variable unused, the work goes to the loop inside
    ("repetition-loop", "double f(const double*restrict a,int n,int repeat){double sum=0;for(int r=0;r<repeat;r++){sum=0;for(int i=0;i<n;i++) sum+=a[i];}return sum;}", 0, None, "REPEATED-WORK"),
    ("repetition-loop-inner", "double f(const double*restrict a,int n,int repeat){double sum=0;for(int r=0;r<repeat;r++){sum=0;for(int i=0;i<n;i++) sum+=a[i];}return sum;}", 1, PF + " reduction(+:sum)", "OMP-PARALLEL"),
    # an address taken after the loop, outside any loop around it, cannot see the private copies
    ("address-taken-after-loop", "void use(double*);\ndouble f(const double*restrict a,int n){double s=0;for(int i=0;i<n;i++) s+=a[i];use(&s);return s;}", 0, PF + " reduction(+:s)", "OMP-PARALLEL"),
    ("address-taken-after-loop-in-outer", "void use(double*);\nvoid f(const double*restrict a,double*restrict o,int n){double s=0;for(int k=0;k<n;k++){for(int i=0;i<n;i++) s+=a[i];use(&s);o[k]=s;}}", 1, None, "SCALAR-CARRIED"),
    # a zero coefficient is zero, not an unknown parameter (Rodinia CFD's 'i + VAR_DENSITY*nelr')
    ("zero-times-param-offset", "void f(int n,float*restrict v,const float*restrict o){for(int i=0;i<n;i++){v[i+0*n]=o[i];v[i+1*n]=o[i];}}", 0, PF, "OMP-PARALLEL"),
    ("zero-times-param-overlap", "void f(int n,float*restrict v,const float*restrict o){for(int i=0;i<n;i++){v[i+0*n]=o[i];v[i+1]=o[i];}}", 0, None, "DEP-CARRIED"),
    # strip-mined loops: bounds held in variables defined in the loop over blocks
    ("strip-mined-blocks", "void f(int n,float*restrict v,const float*restrict o){for(int b=0;b<n/8;b++){int s=b*8;int e=(b+1)*8>n?n:(b+1)*8;for(int i=s;i<e;i++){v[i]=o[i];v[i+n]=o[i];}}}", 0, PF, "OMP-PARALLEL"),
    ("strip-mined-inner", "float acc[1000];void f(int n,float*restrict v,const float*restrict o){for(int b=0;b<n/8;b++){int s=b*8;int e=(b+1)*8>n?n:(b+1)*8;acc[b+1]=acc[b]+1;for(int i=s;i<e;i++){v[i]=o[i];v[i+n]=o[i];}}}", 1, PF, "OMP-PARALLEL"),
    ("strip-mined-bound-redefined", "void f(int n,float*restrict v,const float*restrict o,int c){for(int b=0;b<n/8;b++){int e=(b+1)*8;if(c) e=n+5;for(int i=b*8;i<e;i++){v[i]=o[i];v[i+n]=o[i];}}}", 1, None, "DEP-CARRIED"),
    # strip-mined bounds and min/max bounds that must not be trusted (an adversarial review)
    ("strip-mined-narrow-bound", 'int a[70064];void f(int n){for(int blk=0;blk<n/8;blk++){int s=blk*8;unsigned short e=blk*8-1;for(int i=s;i<e;i++) a[i+8]=a[i]+1;}}', 1, None, "DEP-CARRIED"),
    ("strip-mined-bound-written-through-pointer", 'int a[70064];void f(int n){for(int blk=0;blk<n/8;blk++){int s=blk*8;int e=blk*8+8;int *p=&e;*p=s+100;for(int i=s;i<e;i++) a[i+8]=a[i]+1;}}', 1, None, "DEP-CARRIED"),
    ("strip-mined-bound-written-by-macro", '#define SET(x) x = blk*8 + 100\nint a[70064];void f(int n){for(int blk=0;blk<n/8;blk++){int s=blk*8;int e=blk*8+8;SET(e);for(int i=s;i<e;i++) a[i+8]=a[i]+1;}}', 1, None, "DEP-CARRIED"),
    ("strip-mined-block-variable-changed-by-callee", 'int a[70064];int blk;static void up(void){blk+=10;}\nstatic void down(void){blk-=10;}\nvoid f(int n){for(blk=0;blk<n/8;blk++){int s=blk*8;up();int e=blk*8+8;down();for(int i=s;i<e;i++) a[i+8]=a[i]+1;}}', 1, None, "DEP-CARRIED"),
    ("strip-mined-bound-changed-in-block-loop", 'int a[70064];void f(int m){for(int blk=0;blk<m;blk++){int s=blk*4;int e=blk*4+4;if(blk==3) m=blk;for(int i=s;i<e;i++) a[i]=a[i+2*m-2*blk+2]+1;}}', 1, None, "DEP-CARRIED"),
    ("min-bound-of-array-element", 'int a[70064];void f(int n){int lim[1];lim[0]=100;int e=n<lim[0]?n:lim[0];lim[0]=4;for(int i=0;i<e;i++) a[i+lim[0]]=a[i]+1;}', 0, None, "DEP-CARRIED"),
    ("min-bound-mixing-signed-unsigned", 'int a[70064];void f(int k,unsigned u){for(int i=0;i<(k<u?k:u);i++) a[i+8]=a[i+8+k]+1;}', 0, None, "DEP-CARRIED"),
    ("header-bound-shadowed-in-body", 'int a[400];void f(int nb){for(int blk=0;blk<nb;blk++){int s=blk*8;int e=blk*8+16;for(int i=s;i<e;i++){int nb=0;a[i+8]=a[i]+1+nb;}}}', 0, None, "SCALAR-CARRIED"),
    ("strip-mined-negative-blocks", "void f(int n,float*restrict v,const float*restrict o){for(int b=-4;b<n/8;b++){int s=b*8;int e=(b+1)*8>n?n:(b+1)*8;for(int i=s;i<e;i++){v[i]=o[i];v[i+n]=o[i];}}}", 1, None, "DEP-CARRIED"),
    ("2d-rows", "double a[100][100];void f(int n){int i,j;for(i=1;i<n;i++) for(j=0;j<n;j++) a[i][j]=a[i-1][j];}", 0, None, "DEP-CARRIED"),
    ("2d-rows-inner", "double a[100][100];void f(int n){int i,j;for(i=1;i<n;i++) for(j=0;j<n;j++) a[i][j]=a[i-1][j];}", 1, PF, "OMP-PARALLEL"),
    ("2d-cols", "double a[100][100];void f(int n){int i,j;for(i=0;i<n;i++) for(j=1;j<n;j++) a[i][j]=a[i][j-1];}", 0, PF + " private(j)", "OMP-PARALLEL"),
    ("linearized", "void f(int n,double*restrict a,double*restrict b){int i,j;for(i=0;i<n;i++) for(j=0;j<n;j++) a[i*n+j]=b[j*n+i];}", 0, PF + " private(j)", "OMP-PARALLEL"),
    ("linearized-dep", "void f(int n,double*restrict a){int i,j;for(i=1;i<n;i++) for(j=0;j<n;j++) a[i*n+j]=a[(i-1)*n+j];}", 0, None, "DEP-CARRIED"),
    ("linearized-inner-ok", "void f(int n,double*restrict a){int i,j;for(i=1;i<n;i++) for(j=0;j<n;j++) a[i*n+j]=a[(i-1)*n+j];}", 1, PF, "OMP-PARALLEL"),
    ("transpose-inplace", "double a[100][100];void f(int n){int i,j;double t;for(i=0;i<n;i++) for(j=0;j<n;j++){t=a[i][j];a[i][j]=a[j][i];a[j][i]=t;}}", 0, None, "DEP-CARRIED"),
    ("narrow-cast-subscript", "int a[256];void f(const int*restrict b){for(int i=0;i<1000;i++) a[(unsigned char)(i*4)]+=b[i];}", 0, None, "DEP-UNKNOWN"),
    ("narrow-local-subscript", "int a[256];void f(const int*restrict b){for(int i=0;i<1000;i++){unsigned char k=i;a[k]+=b[i];}}", 0, None, "DEP-UNKNOWN"),
    ("narrow-assigned-subscript", "int a[300];void f(const int*restrict b){unsigned char k;for(int i=0;i<1000;i++){k=i+3;a[k]+=b[i];}}", 0, None, "DEP-UNKNOWN"),
    ("wide-cast-subscript", "int a[1000];void f(const int*restrict b){for(int i=0;i<1000;i++) a[(long)i]+=b[i];}", 0, PF, "OMP-PARALLEL"),
    ("indirect-read", "void f(int n,double*restrict a,const double*restrict b,const int*restrict idx){for(int i=0;i<n;i++) a[i]=b[idx[i]];}", 0, PF, "OMP-PARALLEL"),
    ("indirect-write", "void f(int n,double*restrict a,const double*restrict b,const int*restrict idx){for(int i=0;i<n;i++) a[idx[i]]=b[i];}", 0, None, "INDIRECT-WRITE"),
    ("row-reach-symbolic", "double a[100][100],b[100][100];int jst,jend;void f(int n){for(int i=0;i<n;i++) for(int j=jst;j<=jend;j++) a[i][j]=b[i][j-1];}", 0, PF, "OMP-PARALLEL"),
    ("row-reach-always", "double a[100][100];void f(int n){for(int i=0;i<n;i++) for(int j=0;j<n;j++) a[i][j]=a[i][j-1];}", 0, None, "DEP-UNKNOWN"),
    ("struct-by-value-callee", "typedef struct{double*buf;}S;static void k(int m,S p){for(int q=0;q<m;q++) p.buf[q]=q;}\nvoid f(int n,int m,S*s){for(int i=0;i<n;i++) k(m,s[i]);}", 1, PF, "OMP-PARALLEL"),
    ("private-array-read-in-writing-loop", "void f(int n,int m,double(*restrict a)[64],double(*restrict b)[64]){double z[64];int i,k;for(i=0;i<n;i++){for(k=0;k<m;k++){z[k]=a[i][k];b[i][k]=z[k]*2;}for(k=0;k<m-1;k++) b[i][k]+=z[k+1];}}", 0, PF + " private(k, z)", "OMP-PARALLEL"),
    ("private-array-read-ahead-in-writing-loop", "void f(int n,int m,double(*restrict a)[64],double(*restrict b)[64]){double z[64];int i,k;for(i=0;i<n;i++){for(k=0;k<m;k++){z[k]=a[i][k];b[i][k]=z[k+1];}}}", 0, None, "DEP-CARRIED"),
    ("csr-row-write", "void f(int n,const int*restrict r,double*restrict a){int j,k;for(j=0;j<n;j++) for(k=r[j];k<r[j+1];k++) a[k]=0.0;}", 0, PF + " private(k) schedule(guided)", "OMP-PARALLEL"),
    ("csr-row-write-le", "void f(int n,const int*restrict r,int*restrict c,int o){int j,k;for(j=1;j<=n;j++) for(k=r[j];k<=r[j+1]-1;k++) c[k]=c[k]-o;}", 0, PF + " private(k) schedule(guided)", "OMP-PARALLEL"),
    ("csr-two-rows", "void f(int n,const int*restrict r,double*restrict a){int j,k;for(j=0;j<n;j++) for(k=r[j];k<r[j+2];k++) a[k]=0.0;}", 0, None, "DEP-CARRIED"),
    ("csr-neighbour", "void f(int n,const int*restrict r,double*restrict a){int j,k;for(j=0;j<n;j++) for(k=r[j];k<r[j+1];k++) a[k+1]=a[k];}", 0, None, "DEP-CARRIED"),
    ("linearized-3d", "void f(int nx,int ny,int nz,const float*restrict a,float*restrict b){for(int z=0;z<nz;z++) for(int y=0;y<ny;y++) for(int x=0;x<nx;x++){int c=x+y*nx+z*nx*ny;b[c]=a[c];}}", 0, PF, "OMP-PARALLEL"),
    ("linearized-3d-plane-dep", "void f(int nx,int ny,int nz,float*restrict t){for(int z=1;z<nz;z++) for(int y=0;y<ny;y++) for(int x=0;x<nx;x++){int c=x+y*nx+z*nx*ny;t[c]=t[c-nx*ny];}}", 0, None, "DEP-CARRIED"),
    ("linearized-3d-plane-dep-inner-ok", "void f(int nx,int ny,int nz,float*restrict t){for(int z=1;z<nz;z++) for(int y=0;y<ny;y++) for(int x=0;x<nx;x++){int c=x+y*nx+z*nx*ny;t[c]=t[c-nx*ny];}}", 1, PF, "OMP-PARALLEL"),
    ("linearized-3d-x-overflow", "void f(int nx,int ny,int nz,float*restrict t){for(int z=0;z<nz;z++) for(int y=0;y<ny;y++) for(int x=0;x<=nx;x++){int c=x+y*nx+z*nx*ny;t[c]=0;}}", 0, None, "DEP-CARRIED"),
    ("struct-linearized", "typedef struct{int width,height;unsigned char*pixels;}Image;\nvoid f(Image img){for(int i=0;i<img.height;i++) for(int j=0;j<img.width;j++) img.pixels[i*img.width+j]=255-img.pixels[i*img.width+j];}", 0, PF, "OMP-PARALLEL"),
    ("struct-linearized-dep", "typedef struct{int width,height;unsigned char*pixels;}Image;\nvoid f(Image img){for(int i=1;i<img.height;i++) for(int j=0;j<img.width;j++) img.pixels[i*img.width+j]=img.pixels[(i-1)*img.width+j];}", 0, None, "DEP-CARRIED"),
    ("array-reduction", "void f(int n,const double (*restrict v)[5],double *restrict s){int i,m;for(i=0;i<n;i++) for(m=0;m<5;m++) s[m]=s[m]+v[i][m]*v[i][m];}", 0, PF + " private(m) reduction(+:s[0:5])", "OMP-PARALLEL"),
    ("array-reduction-compound", "double h[8];void f(int n,const double*restrict x){for(int i=0;i<n;i++) for(int m=2;m<8;m++) h[m]+=x[i]*m;}", 0, PF + " reduction(+:h)", "OMP-PARALLEL"),
    ("array-reduction-second-inner-loop", "double y[64],t[64];void f(int m,int n,double A[64][64],const double*restrict x){int i,j;for(i=0;i<m;i++){t[i]=0;for(j=0;j<n;j++) t[i]+=A[i][j]*x[j];for(j=0;j<n;j++) y[j]=y[j]+A[i][j]*t[i];}}", 0, PF + " private(j) reduction(+:y)", "OMP-PARALLEL"),
    ("array-reduction-also-read", "double h[8];void f(int n,const double*restrict x){for(int i=0;i<n;i++) for(int m=0;m<8;m++){h[m]+=x[i];if(h[m]>10) h[m]=0;}}", 0, None, "DEP-CARRIED"),
    ("array-reduction-mixed-ops", "double h[8];void f(int n,const double*restrict x){for(int i=0;i<n;i++) for(int m=0;m<8;m++){h[m]+=x[i];h[m]*=2;}}", 0, None, "DEP-CARRIED"),
    ("triangular", "double a[100][100];void f(int n){int i,j;for(i=0;i<n;i++) for(j=i;j<n;j++) a[i][j]=a[i][j]*2;}", 0, PF + " private(j) schedule(dynamic)", "OMP-PARALLEL"),
    ("csr-irregular", "void f(int n,const int*restrict rp,const double*restrict v,double*restrict y){int i,k;double s;for(i=0;i<n;i++){s=0;for(k=rp[i];k<rp[i+1];k++) s+=v[k];y[i]=s;}}", 0, PF + " private(s, k) schedule(guided)", "OMP-PARALLEL"),
    ("local-pointer-offset", "double base[100];void f(void){double*x1=base;double*x2=base+50;for(int i=0;i<50;i++) x1[i]=x2[i]+1;}", 0, PF, "OMP-PARALLEL"),
    ("local-pointer-overlap", "double base[100];void f(void){double*x1=base;double*x2=base+12;for(int i=0;i<50;i++) x1[i]=x2[i]+1;}", 0, None, "DEP-CARRIED"),
    ("row-pointer", "double a[100][100];void f(int n){for(int i=0;i<n;i++){double*row=a[i];for(int j=0;j<n;j++) row[j]=0;}}", 0, PF, "OMP-PARALLEL"),
    ("forward-subst", "void f(int n,double*restrict a){for(int i=0;i<n;i++){int k=2*i;a[k]=a[k+1];}}", 0, PF, "OMP-PARALLEL"),
    ("deref-pointer", "void f(int n,double*restrict a){for(int i=0;i<n;i++) *(a+i)=i;}", 0, PF, "OMP-PARALLEL"),
    ("struct-array-field", "typedef struct{int v;double w;}rec;void f(rec*restrict r,int n){for(int i=0;i<n;i++){r[i].v=i;r[i].w=0;}}", 0, PF, "OMP-PARALLEL"),
    ("pointer-to-own-element-arrow", "struct P{double x,vx;};void f(struct P*restrict ps,int n){for(int i=0;i<n;i++){struct P*p=&ps[i];p->x+=p->vx;}}", 0, PF, "OMP-PARALLEL"),
    ("pointer-to-element-arrow-dep", "struct P{double x;};void f(struct P*restrict ps,int n){for(int i=0;i<n;i++){struct P*p=&ps[i];ps[i+1].x=p->x;}}", 0, None, "DEP-CARRIED"),
    ("invariant-pointer-arrow-write", "struct P{double x,vx;};void f(struct P*restrict ps,struct P*restrict q,int n){for(int i=0;i<n;i++){ps[i].x=q->x;q->vx=i;}}", 0, None, "DEP-CARRIED"),
    ("struct-pointer-param-members", "struct G{int arr[1001];};void f(struct G*p,struct G*q){for(int i=0;i<1000;i++) p->arr[i]=q->arr[i+1]*2;}", 0, PF, "OMP-PARALLEL"),
    ("pointer-to-struct-visible", "struct G{int arr[1001];}gs;void f(void){struct G*p=&gs;for(int i=0;i<1000;i++) p->arr[i]=gs.arr[i+1]*2;}", 0, None, "ALIAS-UNKNOWN"),
    ("pointer-field-into-own-array", "struct G{int arr[1001];int*ptr;}gs;void f(void){gs.ptr=gs.arr+1;for(int i=0;i<1000;i++) gs.arr[i]=gs.ptr[i]*2;}", 0, None, "ALIAS-UNKNOWN"),
    ("pointer-copy-of-member-array", "struct G{int arr[1001];}gs;void f(void){int*q=gs.arr;for(int i=0;i<1000;i++) q[i]=gs.arr[i+1]*2;}", 0, None, "ALIAS-UNKNOWN"),
    ("struct-array-field-dep", "typedef struct{int v;}rec;void f(rec*restrict r,int n){for(int i=1;i<n;i++) r[i].v=r[i-1].v;}", 0, None, "DEP-CARRIED"),
    ("pointer-swap-then-reassigned", "int a[1002],b[1002];void f(void){int*p=a,*q=b,*t;t=p;p=q;q=t;p=a;for(int i=0;i<1000;i++) q[i]=p[i+1]*2;}", 0, None, "ALIAS-UNKNOWN"),
    ("pointer-swap-in-time-loop", "#include <stdlib.h>\nvoid f(int n,int steps){double*u=malloc(n*sizeof(double)),*v=malloc(n*sizeof(double));for(int t=0;t<steps;t++){for(int i=1;i<n-1;i++) v[i]=(u[i-1]+u[i+1])/2;double*tmp=u;u=v;v=tmp;}}", 1, PF, "OMP-PARALLEL"),
    ("pointer-swap-after-init-assignments", "double A[100],B[100];void f(int steps){double*u,*v;u=A;v=B;for(int t=0;t<steps;t++){for(int i=1;i<99;i++) v[i]=(u[i-1]+u[i+1])/2;double*tmp=u;u=v;v=tmp;}}", 1, PF, "OMP-PARALLEL"),
    ("pointer-swap-reassigned-in-loop", "double A[100],B[100];void f(int steps){double*u=A,*v=B;for(int t=0;t<steps;t++){u=A;for(int i=1;i<99;i++) v[i]=(u[i-1]+u[i+1])/2;double*tmp=u;u=v;v=tmp;}}", 1, None, "ALIAS-UNKNOWN"),
    ("pointer-rows-dep", "void f(double**z,int n){for(int i=1;i<n;i++) for(int j=0;j<n;j++) z[i][j]=z[i-1][j];}", 0, None, "DEP-CARRIED"),
    ("pointer-rows-shared", "void f(int n,int p){double*b=malloc(2*n*sizeof(double));double*u[2]={&b[0],&b[n-2]};for(int i=1;i<n-1;i++) u[1-p][i]=u[p][i-1];}", 0, None, "DEP-UNKNOWN"),
    # ---- arrays private to an iteration
    ("array-private", "double u[64][64];void f(int n){double t[64];for(int s=0;s<n;s++){for(int i=0;i<n;i++) t[i]=u[s][i];for(int i=0;i<n;i++) u[s][i]=t[n-1-i];}}", 0, PF + " private(t)", "OMP-PARALLEL"),
    ("array-private-stencil", "double r[64][64],u[64][64];void f(int n){int i,j;double r1[64];for(i=1;i<n-1;i++){for(j=0;j<n;j++) r1[j]=r[i-1][j]+r[i+1][j];for(j=1;j<n-1;j++) u[i][j]=r1[j-1]+r1[j+1];}}", 0, PF + " private(j, r1)", "OMP-PARALLEL"),
    ("array-private-partial", "double u[64][64];void f(int n){double t[64];for(int s=0;s<n;s++){for(int i=0;i<n-1;i++) t[i]=u[s][i];for(int i=0;i<n;i++) u[s][i]=t[i];}}", 0, None, "DEP-CARRIED"),
    ("array-private-read-first", "double u[64][64];void f(int n){double t[64];for(int s=0;s<n;s++){for(int i=0;i<n;i++) u[s][i]=t[i];for(int i=0;i<n;i++) t[i]=u[s][i];}}", 0, None, "DEP-CARRIED"),
    ("array-private-live-after", "double u[64][64];void f(int n){double t[64];for(int s=0;s<n;s++){for(int i=0;i<n;i++) t[i]=u[s][i];for(int i=0;i<n;i++) u[s][i]=t[i];}u[0][0]=t[0];}", 0, None, "DEP-CARRIED"),
    ("array-private-guarded-write", "double u[64][64];void f(int n){double t[64];for(int s=0;s<n;s++){for(int i=0;i<n;i++) if(u[s][i]>0) t[i]=u[s][i];for(int i=0;i<n;i++) u[s][i]=t[i];}}", 0, None, "DEP-CARRIED"),
    ("array-private-accumulate", "double u[64][64];void f(int n){double t[64];for(int s=0;s<n;s++){for(int i=0;i<n;i++) t[i]+=u[s][i];for(int i=0;i<n;i++) u[s][i]=t[i];}}", 0, None, "DEP-CARRIED"),
    ("array-private-global", "double u[64][64],t[64];void f(int n){for(int s=0;s<n;s++){for(int i=0;i<n;i++) t[i]=u[s][i];for(int i=0;i<n;i++) u[s][i]=t[i];}}", 0, None, "DEP-CARRIED"),
    # a write that may not run does not cover a read: right operand of '&&', a '?:' branch
    ("array-private-shortcircuit", "int c[64];double out[64];void f(int n){double t[2];for(int i=0;i<n;i++){if(c[i]&&(t[0]=i+1)) out[i]+=1;out[i]+=t[0];}}", 0, None, "DEP-CARRIED"),
    ("array-private-ternary", "int c[64];double out[64];void f(int n){double t[2];for(int i=0;i<n;i++){out[i]=c[i]?(t[0]=i):0;out[i]+=t[0];}}", 0, None, "DEP-CARRIED"),
    # a local array of the same name as a global, declared in another loop: the global is shared
    ("array-private-shadowed-global", "double t[4],out[64];void f(int n){for(int i=0;i<n;i++){double t[4];t[0]=i;out[i]=t[0];}for(int i=0;i<n;i++){for(int k=0;k<4;k++) t[k]=i+k;out[i]+=t[3];}}", 1, None, "DEP-CARRIED"),
    # read in the header of a later loop: no iteration of that loop writes it first
    ("array-private-read-in-header", "double out[64];int f(int n){int k,x=0;double t[4];for(int i=0;i<n;i++){for(k=0;k<4;k++) t[k]=i+k;out[i]=t[0]+t[3];}for(k=0;k<(int)t[1];k++) x+=1;return x;}", 0, None, "DEP-CARRIED"),
    # a pointer into the array kept by a callee, read after the loop: the array escapes
    # 'continue' and 'break' end an iteration (or an inner loop) before later writes
    ("continue-skips-last-write", "int a[100];int f(void){int i,last=0;for(i=0;i<100;i++){if(a[i]<0) continue;last=i;}return last;}", 0, None, "SCALAR-LIVEOUT"),
    ("continue-skips-linear-step", "int a[100],b[100];int f(void){int i,j=0;for(i=0;i<100;i++){if(a[i]<0) continue;b[j]=a[i];j++;}return j;}", 0, None, "SCALAR-CARRIED"),
    ("break-in-inner-loop-skips-write", "int a[100],b[100];void f(void){int i,k,x=0;for(i=0;i<100;i++){for(k=0;k<3;k++){if(a[i]==0) break;x=a[i]+k;}b[i]=x;}}", 0, None, "SCALAR-CARRIED"),
    ("continue-skips-array-write", "int b[8];double out[64][8];void f(void){double t[8];for(int i=0;i<64;i++){for(int j=0;j<8;j++){if(b[j]==0) continue;t[j]=i+j;}for(int j=0;j<8;j++) out[i][j]=t[j];}}", 0, None, "DEP-CARRIED"),
    ("break-cuts-array-writes", "int c[64];double out[64][8];void f(void){double t[8];for(int i=0;i<64;i++){for(int j=0;j<8;j++){t[j]=i+j;if(c[i]==0&&j==2) break;}for(int j=0;j<8;j++) out[i][j]=t[j];}}", 0, None, "DEP-CARRIED"),
    # a block-scoped declaration shadowing an outer variable the loop also uses
    ("shadowed-outer-scalar", "int a[100],b[100];int f(void){int i,x=0;for(i=0;i<100;i++){{int x=a[i]*2;b[i]=x;}x=x+b[i]%3;b[i]+=x;}return x;}", 0, None, "SCALAR-CARRIED"),
    ("inner-declaration-only", "int a[100],b[100];int f(void){int i,x=0;for(i=0;i<100;i++){int x=a[i]*2;b[i]=x;}return x;}", 0, PF, "OMP-PARALLEL"),
    # a pointer to the scalar made before the loop reads the shared variable, not a private copy
    ("scalar-address-taken-before", "int a[100],b[100];int f(void){int i,x=0,*px=&x;for(i=0;i<100;i++){x=a[i];b[i]=*px+1;}return x;}", 0, None, "SCALAR-CARRIED"),
    # loop variables used after the nest: no collapse, which would drop their lastprivate
    ("collapse-keeps-lastprivate", "int a[8][40];int f(void){int i,j;for(i=0;i<8;i++) for(j=0;j<40;j++) a[i][j]=i+j;return i+j;}", 1, PF + " lastprivate(j)", "OMP-PARALLEL"),
    ("collapse-when-dead", "int a[8][40];void f(void){int i,j;for(i=0;i<8;i++) for(j=0;j<40;j++) a[i][j]=i+j;}", 0, PF + " collapse(2)", "OMP-PARALLEL"),
    # inner bounds that are not affine: the range written is unknown, so it covers nothing
    ("array-private-nonaffine-bounds", "int out[40][41];void f(void){int i,j,m;int t[41];for(i=0;i<40;i++){m=i%5+3;for(j=0;j<m;j++) t[j]=i+j;for(j=0;j<m+1;j++) out[i][j]=t[j];}}", 0, None, "DEP-CARRIED"),
    # an update after the inner loop touches s[4], outside the section s[0:4]
    ("array-reduction-update-after-inner-loop", "void f(int n,double *s,double *a){int i,m;for(i=0;i<n;i++){for(m=0;m<4;m++){s[m]+=1.0;}s[m]+=a[i];}}", 0, None, "DEP-CARRIED"),
    # liveness after the loop: an assignment that may not run kills nothing
    ("liveout-conditional-kill", "int a[100],b[100];int f(int c){int i,x=0;for(i=0;i<100;i++){x=a[i]*2;b[i]=x;}if(c>5) x=0;return x;}", 0, PF + " lastprivate(x)", "OMP-PARALLEL"),
    ("liveout-kill-in-other-branch", "int a[100],b[100];int f(int c){int i,x=0,y=0;for(i=0;i<100;i++){x=a[i]*2;b[i]=x;}if(c>5) x=0; else y=x;return y;}", 0, PF + " lastprivate(x)", "OMP-PARALLEL"),
    ("global-scratch-in-program", "int a[100],b[100];static int last;void f(void){for(int i=0;i<100;i++){last=a[i]+1;b[i]=last*2;}}\nint main(void){f();return b[7];}", 0, PF + " private(last)", "OMP-PARALLEL"),
    ("global-scratch-external-linkage", "int a[100],b[100];int last;void f(void){for(int i=0;i<100;i++){last=a[i]+1;b[i]=last*2;}}", 0, PF + " lastprivate(last)", "OMP-PARALLEL"),
    # a scalar written at the top of each iteration and then passed by address (a
    # random-number seed: EP's 't1 = S; randlc(&t1, a)') is the private copy's address
    ("address-to-callee-after-write", "double out[100];static double seedv(double*x){*x=*x*3+1;return *x;}\nvoid f(int n){double t=1;for(int i=0;i<n;i++){t=i;seedv(&t);out[i]=t;}}", 0, PF + " private(t)", "OMP-PARALLEL"),
    ("address-to-callee-after-write-used-after", "double out[100];static double seedv(double*x){*x=*x*3+1;return *x;}\ndouble f(int n){double t=1;for(int i=0;i<n;i++){t=i;seedv(&t);out[i]=t;}return t;}", 0, PF + " lastprivate(t)", "OMP-PARALLEL"),
    ("address-to-callee-before-write", "double out[100];static double seedv(double*x){*x=*x*3+1;return *x;}\nvoid f(int n){double t=1;for(int i=0;i<n;i++){seedv(&t);out[i]=t;}}", 0, None, "SCALAR-CARRIED"),
    ("address-to-callee-after-conditional-write", "double out[100];static double seedv(double*x){*x=*x*3+1;return *x;}\nvoid f(int n,int c){double t=1;for(int i=0;i<n;i++){if(c) t=i;seedv(&t);}}", 0, None, "SCALAR-CARRIED"),
    # ... and the callee must keep no pointer to the private copy, nor read it first
    ("address-returned-by-callee", "double out[100];static double*id(double*p){return p;}\ndouble f(int n){double t=1,*q=0;for(int i=0;i<n;i++){t=i;q=id(&t);out[i]=t;}return *q;}", 0, None, "SCALAR-CARRIED"),
    ("address-read-by-callee-before-write", "double out[100];static double get(const double*p){return *p;}\nvoid f(int n){double t=0;for(int i=0;i<n;i++){out[i]=get(&t);t=i;}}", 0, None, "SCALAR-CARRIED"),
    ("address-to-callee-storing-in-void-slot", "double out[100];static void keep(void*slot,double*p){*p=0;*(double**)slot=p;}\nvoid f(int n,void*slot){double t=1;for(int i=0;i<n;i++){t=i;keep(slot,&t);out[i]=t;}}", 0, None, "SCALAR-CARRIED"),
    ("address-kept-by-callee-before-loop", "double out[100];static void keep(double**o,double*p){*o=p;}\nvoid f(int n){double t=1,*q;keep(&q,&t);for(int i=0;i<n;i++){t=i;*q+=1;out[i]=t;}}", 0, None, "SCALAR-CARRIED"),
    ("global-scratch-address-in-initializer", "int a[100],b[100];int last;int*pl=&last;void f(void){for(int i=0;i<100;i++){last=a[i]+1;b[i]=last*2;}}\nint main(void){f();return *pl;}", 0, PF + " lastprivate(last)", "OMP-PARALLEL"),
    ("liveout-killed-by-if-else", "int a[100],b[100];int f(int c){int i,x=0;for(i=0;i<100;i++){x=a[i]*2;b[i]=x;}if(c>5) x=0; else x=1;return x;}", 0, PF + " private(x)", "OMP-PARALLEL"),
    ("liveout-if-else-kill-in-later-loop", "int a[100],b[100],d[100][100];void f(int c){int i,j,x=0;for(i=0;i<100;i++){for(j=0;j<c;j++){x=a[j];d[i][j]=x;}}for(i=0;i<100;i++){if(a[i]>c) x=1; else x=2;b[i]=x;}}", 0, PF + " private(j, x)", "OMP-PARALLEL"),
    ("liveout-if-else-nested-condition", "int a[100],b[100];int f(int c){int i,x=0;for(i=0;i<100;i++){x=a[i]*2;b[i]=x;}if(c>5) x=0; else {if(c<0) x=1;}return x;}", 0, PF + " lastprivate(x)", "OMP-PARALLEL"),
    ("liveout-if-else-use-before-kill", "int a[100],b[100];int f(int c){int i,x=0;for(i=0;i<100;i++){x=a[i]*2;b[i]=x;}if(c>5) x=0; else {b[0]=x;x=1;}return x;}", 0, PF + " lastprivate(x)", "OMP-PARALLEL"),
    ("liveout-killed-before-use", "int a[100],b[100];int f(int c){int i,x=0;for(i=0;i<100;i++){x=a[i]*2;b[i]=x;}if(c>5){x=0;b[0]=x;}return 0;}", 0, PF + " private(x)", "OMP-PARALLEL"),
    ("array-private-escapes", "double out[64],*saved;static void keep(double *p){saved=p;}\nstatic void fill(double *p,int i){p[0]=i;p[1]=i;}\ndouble f(int n){double t[4],x=0;for(int i=0;i<n;i++){for(int k=0;k<4;k++) t[k]=i+k;out[i]=t[0]+t[3];}for(int j=0;j<1;j++){t[0]=0;keep(&t[0]);x+=t[0];}return x+saved[1];}", 0, None, "DEP-CARRIED"),
    ("array-private-filled-by-callee", "double out[64];static void fill(double *p,int i){p[0]=i;p[1]=i+1;}\nvoid f(int n){double t[2];for(int i=0;i<n;i++){fill(t,i);out[i]=t[0]+t[1];}}", 0, PF + " private(t)", "OMP-PARALLEL"),
    ("called-deep-in-serial", "double u[64][64],r[64][64];static void jac(int k){for(int j=0;j<64;j++) r[k][j]=u[k][j]*2;}\nvoid ssor(int n){for(int it=0;it<n;it++) for(int k=1;k<64;k++){jac(k);u[k][0]=r[k-1][0];}}", 0, None, "NESTED-IN-SERIAL"),
    # loops that only repeat the whole computation (solver iterations, time steps) leave
    # every region all of the work: a region per iteration is what OpenMP codes do
    ("solver-iterations-around-call", "double q[4096],p[4096];static void cg(int n){for(int c=0;c<25;c++){for(int j=0;j<n;j++) q[j]=2*p[j];for(int j=1;j<n;j++) p[j]=p[j-1]+q[j];}}\nvoid run(int n){for(int it=0;it<n;it++) cg(n);}", 1, PF, "OMP-PARALLEL"),
    # HPCG: a solver loop counted with a compound condition, and a flag ('k == 1' to 'bool pre')
    # given by a loop around it, are no slices of the data either
    ("solver-loop-with-compound-condition", "double x[4096],r[4096];static void axpy(int n,double a){for(int j=0;j<n;j++) x[j]+=a*r[j];}\nstatic double cg(int n,int pre){double nr=1;for(int k=1;k<=50&&nr>1e-9;k++){axpy(n,0.5);nr*=0.5;if(pre) nr*=0.5;}return nr;}\ndouble run(int n){double s=0;for(int t=0;t<2;t++) for(int i=0;i<n;i++) s+=cg(n,t==1);return s;}", 0, PF, "OMP-PARALLEL"),
    ("flag-argument-then-a-slice", "double u[64][64];static void row(int k,int pre){for(int j=0;j<64;j++) u[k][j]=pre?0:u[k][j]*2;}\nvoid ssor(int n){for(int it=0;it<n;it++) for(int k=1;k<64;k++) row(k,it==0);}", 0, None, "NESTED-IN-SERIAL"),
    ("called-once-from-serial", "double r[64][64];static void rhs(void){for(int k=0;k<64;k++) for(int j=0;j<64;j++) r[k][j]+=1;}\nvoid ssor(int n){for(int it=0;it<n;it++) rhs();}", 0, PF, "OMP-PARALLEL"),
    ("deep-in-serial", "double x[64][64];void f(int n,int m){for(int l=1;l<m;l++) for(int i=1;i<n;i++) for(int j=0;j<n;j++) x[i][j]=x[i-1][j]+l;}", 2, None, "NESTED-IN-SERIAL"),
    ("deep-in-slicing-loops", "double x[64][64][64];void f(int n,int m){for(int l=1;l<m;l++) for(int i=1;i<n;i++) for(int j=0;j<n;j++) x[l][i][j]=x[l][i-1][j]+x[l-1][i][j];}", 2, None, "NESTED-IN-SERIAL"),
    # (review) a plane's address, or bounds, passed in slice the data as much as a subscript
    ("called-deep-with-a-plane-address", "double u[512*512],f[512*512];static void plane(int k){double*row=u+(long)k*512;const double*r=f+(long)k*512;for(int i=1;i<511;i++) row[i]=0.5*r[i]+0.25*(r[i-1]+r[i+1]);}\nvoid run(int n){for(int t=0;t<n;t++) for(int k=0;k<512;k++) plane(k);}", 0, None, "NESTED-IN-SERIAL"),
    ("called-deep-with-bounds", "double u[4096];static void range(int lo,int hi){for(int i=lo;i<hi;i++) u[i]*=0.5;}\nvoid run(int n){for(int t=0;t<n;t++) for(int b=0;b<64;b++) range(b*64,(b+1)*64);}", 0, None, "NESTED-IN-SERIAL"),
    # a loop of a few iterations slices the data into a few large parts (a tensor's modes)
    ("few-slices-leave-work-enough", "double x[5][4096];void f(int n){for(int it=0;it<n;it++) for(int m=1;m<5;m++) for(int j=0;j<4096;j++) x[m][j]=x[m-1][j]+it;}", 2, PF, "OMP-PARALLEL"),
    # the hot call decides, not a warm-up call outside any loop (SP's 'adi(); for (step...) adi();')
    ("warm-up-call-does-not-hide-hot-call", "double u[64][64][64];static void solve(void){for(int k=1;k<64;k++) for(int j=0;j<64;j++) for(int i=0;i<64;i++) u[k][j][i]+=u[k-1][j][i];}\nvoid run(int n){solve();for(int it=0;it<n;it++) solve();}", 1, None, "NESTED-IN-SERIAL"),
    # a three-dimensional nest has work enough per region even when a loop around it picks
    # the data (MG's multigrid levels 'for (k...) psinv(r[k], ...)')
    ("full-nest-under-slicing-loop", "double g[8][32][32][32];static void smooth(double (*a)[32][32]){for(int i3=0;i3<32;i3++) for(int i2=0;i2<32;i2++) for(int i1=0;i1<32;i1++) a[i3][i2][i1]*=0.5;}\nvoid run(int n){for(int it=0;it<n;it++) for(int k=1;k<8;k++){smooth(g[k]);g[k][0][0][0]+=g[k-1][1][1][1];}}", 0, PF + " collapse(2)", "OMP-PARALLEL"),
    # loops of five components ('for (m...5)') add no dimension of work
    ("small-inner-loop-adds-no-work", "double u[64][64][64][5];static void solve(void){for(int k=1;k<64;k++) for(int j=0;j<64;j++) for(int i=0;i<64;i++) for(int m=0;m<5;m++) u[k][j][i][m]+=u[k-1][j][i][m];}\nvoid run(int n){for(int it=0;it<n;it++) solve();}", 1, None, "NESTED-IN-SERIAL"),
    ("one-serial-level", "double x[64][64];void f(int n){for(int i=1;i<n;i++) for(int j=0;j<n;j++) x[i][j]=x[i-1][j];}", 1, PF, "OMP-PARALLEL"),
    # ---- while and do loops are loops too
    ("while-loop", "void f(int n,double*restrict a){int k=0;while(k<n){a[k]=0;k++;}}", 0, None, "NONCANONICAL"),
    ("for-inside-while", "void f(int n,double*restrict a){int k=0;while(k<n){for(int i=0;i<n;i++) a[i]+=1;k++;}}", 1, PF, "OMP-PARALLEL"),
    ("do-loop", "void f(int n,double*restrict a){int k=0;do{a[k]=0;k++;}while(k<n);}", 0, None, "NONCANONICAL"),
    # ---- scalars
    ("private-temp", "void f(int n,double*restrict a,double*restrict b){double t;for(int i=0;i<n;i++){t=a[i]*2;b[i]=t+1;}}", 0, PF + " private(t)", "OMP-PARALLEL"),
    ("local-temp-not-listed", "void f(int n,double*restrict a,double*restrict b){for(int i=0;i<n;i++){double t=a[i]*2;b[i]=t;}}", 0, PF, "OMP-PARALLEL"),
    ("shadows-function", "static void add(void){}\nvoid f(int n,double*restrict a,double*restrict b){double add;for(int i=0;i<n;i++){add=a[i]*2;b[i]=add*add;}}", 0, PF + " private(add)", "OMP-PARALLEL"),
    ("lastprivate-temp", "double g(int n,double*restrict a){double t;for(int i=0;i<n;i++){t=a[i];a[i]=t*2;}return t;}", 0, PF + " lastprivate(t)", "OMP-PARALLEL"),
    ("lastprivate-iv", "int g(int n,double*restrict a){int i;for(i=0;i<n;i++) a[i]=0;return i;}", 0, PF + " lastprivate(i)", "OMP-PARALLEL"),
    ("iv-killed-after", "void g(int n,double*restrict a){int i;for(i=0;i<n;i++) a[i]=0;i=5;a[i]=1;}", 0, PF, "OMP-PARALLEL"),
    ("conditional-liveout", "double g(int n,double*restrict a){double t=0;for(int i=0;i<n;i++){if(a[i]>0) t=a[i];a[i]=1;}return t;}", 0, None, "SCALAR-LIVEOUT"),
    ("carried-scalar", "void f(int n,double*restrict a){double prev=0;for(int i=0;i<n;i++){a[i]=prev;prev=a[i]+1;}}", 0, None, "SCALAR-CARRIED"),
    ("induction-counter", "void f(int n,double*restrict a,double*restrict b){int k=0;for(int i=0;i<n;i++){if(a[i]>0){b[k]=a[i];k++;}}}", 0, None, "SCALAR-CARRIED"),
    ("read-only-scalar", "void f(int n,double c,double*restrict a){for(int i=0;i<n;i++) a[i]*=c;}", 0, PF, "OMP-PARALLEL"),
    ("inner-iv-private", "double a[100][100];void f(int n){int i,j;for(i=0;i<n;i++) for(j=0;j<n;j++) a[i][j]=0;}", 0, PF + " private(j)", "OMP-PARALLEL"),
    ("sum", "double f(int n,const double*a){double s=0;for(int i=0;i<n;i++) s+=a[i];return s;}", 0, PF + " reduction(+:s)", "OMP-PARALLEL"),
    ("sum-expanded", "double f(int n,const double*a){double s=0;for(int i=0;i<n;i++) s=s+a[i]*a[i];return s;}", 0, PF + " reduction(+:s)", "OMP-PARALLEL"),
    ("sum-rhs-first", "double f(int n,const double*a){double s=0;for(int i=0;i<n;i++) s=a[i]+s;return s;}", 0, PF + " reduction(+:s)", "OMP-PARALLEL"),
    ("minus", "double f(int n,const double*a){double s=0;for(int i=0;i<n;i++) s-=a[i];return s;}", 0, PF + " reduction(+:s)", "OMP-PARALLEL"),
    ("not-reduction-minus-rhs", "double f(int n,const double*a){double s=0;for(int i=0;i<n;i++) s=a[i]-s;return s;}", 0, None, "SCALAR-CARRIED"),
    ("product", "double f(int n,const double*a){double p=1;for(int i=0;i<n;i++) p*=a[i];return p;}", 0, PF + " reduction(*:p)", "OMP-PARALLEL"),
    ("count", "int f(int n,const double*a){int c=0;for(int i=0;i<n;i++) if(a[i]>0) c++;return c;}", 0, PF + " reduction(+:c)", "OMP-PARALLEL"),
    ("bitand", "int f(int n,const int*a){int m=-1;for(int i=0;i<n;i++) m&=a[i];return m;}", 0, PF + " reduction(&:m)", "OMP-PARALLEL"),
    ("bitor", "int f(int n,const int*a){int m=0;for(int i=0;i<n;i++) m|=a[i];return m;}", 0, PF + " reduction(|:m)", "OMP-PARALLEL"),
    ("bitxor", "int f(int n,const int*a){int m=0;for(int i=0;i<n;i++) m^=a[i];return m;}", 0, PF + " reduction(^:m)", "OMP-PARALLEL"),
    ("logical-and", "int f(int n,const int*a){int ok=1;for(int i=0;i<n;i++) ok=ok&&a[i];return ok;}", 0, PF + " reduction(&&:ok)", "OMP-PARALLEL"),
    ("logical-or", "int f(int n,const int*a){int any=0;for(int i=0;i<n;i++) any=any||(a[i]>3);return any;}", 0, PF + " reduction(||:any)", "OMP-PARALLEL"),
    ("max-if", "double f(int n,const double*a){double m=a[0];for(int i=0;i<n;i++) if(a[i]>m) m=a[i];return m;}", 0, PF + " reduction(max:m)", "OMP-PARALLEL"),
    ("min-if-mirrored", "double f(int n,const double*a){double m=1e9;for(int i=0;i<n;i++) if(m>a[i]) m=a[i];return m;}", 0, PF + " reduction(min:m)", "OMP-PARALLEL"),
    ("max-ternary", "double f(int n,const double*a){double m=0;for(int i=0;i<n;i++) m=a[i]>m?a[i]:m;return m;}", 0, PF + " reduction(max:m)", "OMP-PARALLEL"),
    ("min-ternary", "double f(int n,const double*a){double m=0;for(int i=0;i<n;i++) m=(a[i]<m)?a[i]:m;return m;}", 0, PF + " reduction(min:m)", "OMP-PARALLEL"),
    ("max-macro", "#define MAX(a,b) ((a) > (b) ? (a) : (b))\nint f(int n,const int*a){int m=0;for(int i=0;i<n;i++) m=MAX(m,a[i]);return m;}", 0, PF + " reduction(max:m)", "OMP-PARALLEL"),
    ("max-macro-that-adds", "#define MAX(x,y) ((x) + (y))\nint f(int n,const int*a){int m=0;for(int i=0;i<n;i++) m=MAX(m,a[i]);return m;}", 0, None, "SCALAR-CARRIED"),
    ("min-user-function", "static int min(int x,int y){return x<y?x:y;}\nint f(int n,const int*a){int k=100;for(int i=0;i<n;i++) k=min(k,a[i]);return k;}", 0, PF + " reduction(min:k)", "OMP-PARALLEL"),
    ("max-user-function-not-max", "static int max(int x,int y){return x>y?x-1:y;}\nint f(int n,const int*a){int m=0;for(int i=0;i<n;i++) m=max(m,a[i]);return m;}", 0, None, "SCALAR-CARRIED"),
    ("fmax", "#include <math.h>\ndouble f(int n,const double*a){double m=0;for(int i=0;i<n;i++) m=fmax(m,a[i]);return m;}", 0, PF + " reduction(max:m)", "OMP-PARALLEL"),
    ("fmin", "#include <math.h>\ndouble f(int n,const double*a){double m=0;for(int i=0;i<n;i++) m=fmin(a[i],m);return m;}", 0, PF + " reduction(min:m)", "OMP-PARALLEL"),
    ("argmax-not-reduction", "int f(int n,const double*a){double m=0;int k=0;for(int i=0;i<n;i++) if(a[i]>m){m=a[i];k=i;}return k;}", 0, None, "SCALAR-CARRIED"),
    ("two-reductions", "double f(int n,const double*a){double s=0,q=0;for(int i=0;i<n;i++){s+=a[i];q+=a[i]*a[i];}return s+q;}", 0, PF + " reduction(+:s, q)", "OMP-PARALLEL"),
    ("mixed-ops", "double f(int n,const double*a){double s=0;for(int i=0;i<n;i++){s+=a[i];s*=2;}return s;}", 0, None, "SCALAR-CARRIED"),
    ("reduction-in-nest", "double a[100][100];double f(int n){double s=0;int i,j;for(i=0;i<n;i++) for(j=0;j<n;j++) s+=a[i][j];return s;}", 0, PF + " private(j) reduction(+:s)", "OMP-PARALLEL"),
    # ---- effects of calls
    ("math-call", "#include <math.h>\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) a[i]=sqrt(a[i])+sin(a[i]);}", 0, PF, "OMP-PARALLEL"),
    ("printf", "#include <stdio.h>\nvoid f(int n,double*a){for(int i=0;i<n;i++) printf(\"%f\",a[i]);}", 0, None, "IO"),
    ("rand", "#include <stdlib.h>\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) a[i]=rand();}", 0, None, "CALL-RNG"),
    # ---- memory management: allocating is thread-safe; releasing memory another iteration may use is not
    ("malloc", "#include <stdlib.h>\nvoid f(int n,double**restrict a){for(int i=0;i<n;i++) a[i]=malloc(8);}", 0, PF, "OMP-PARALLEL"),
    ("malloc-free-iteration-buffer", "#include <stdlib.h>\ndouble out[100];void f(int m){for(int i=0;i<100;i++){double*t=(double*)malloc(m*sizeof(double));for(int k=0;k<m;k++) t[k]=i+k;out[i]=t[m-1];free(t);}}", 0, PF, "OMP-PARALLEL"),
    ("free-own-element", "#include <stdlib.h>\nvoid f(int n,double**restrict a){for(int i=0;i<n;i++) free(a[i]);}", 0, PF, "OMP-PARALLEL"),
    ("free-shared-pointer", "#include <stdlib.h>\ndouble out[100];void f(double*t){for(int i=0;i<100;i++){out[i]=i;free(t);}}", 0, None, "ALLOC"),
    ("free-other-iterations-element", "#include <stdlib.h>\nvoid f(int n,double**restrict a){for(int i=0;i<n-1;i++) free(a[i+1]);}", 0, None, "ALLOC"),
    ("free-own-element-next-one-read", "#include <stdlib.h>\ndouble out[100];void f(int n,double**restrict a){for(int i=0;i<n-1;i++){free(a[i]);out[i]=a[i+1][0];}}", 0, None, "ALLOC"),
    ("free-pointer-of-earlier-iteration", "#include <stdlib.h>\ndouble out[100];void f(double*t){for(int i=0;i<100;i++){free(t);t=malloc(8);t[0]=i;out[i]=t[0];}}", 0, None, "SCALAR-CARRIED"),
    ("realloc-shared-pointer", "#include <stdlib.h>\nvoid f(int n,double*p,double*restrict o){for(int i=0;i<n;i++){p=realloc(p,(i+1)*8);o[i]=i;}}", 0, None, "SCALAR-CARRIED"),
    ("realloc-shared-pointer-unassigned", "#include <stdlib.h>\nvoid f(int n,double*p,double*restrict o){for(int i=0;i<n;i++){o[i]=i;realloc(p,(i+1)*8);}}", 0, None, "ALLOC"),
    ("malloc-into-shared-scalar-lazily", "#include <stdlib.h>\ndouble out[100];void f(void){double*t=0;for(int i=0;i<100;i++){if(!t) t=malloc(800);t[i]=i;out[i]=t[i];}}", 0, None, "SCALAR-CARRIED"),
    ("posix-memalign-not-analyzed", "#include <stdlib.h>\ndouble out[100];void f(void){for(int i=0;i<100;i++){void*p;posix_memalign(&p,64,64);out[i]=i;free(p);}}", 0, None, "ALLOC"),
    ("callee-frees-its-argument", "#include <stdlib.h>\nstatic void rel(double*p){free(p);}\ndouble out[100];void f(double*t){for(int i=0;i<100;i++){out[i]=i;rel(t);}}", 0, None, "ALLOC"),
    ("callee-frees-global", "#include <stdlib.h>\ndouble*g;static void rel(void){free(g);}\ndouble out[100];void f(void){for(int i=0;i<100;i++){out[i]=i;rel();}}", 0, None, "ALLOC"),
    ("unknown-call", "void g(double*);void f(int n,double*restrict a){for(int i=0;i<n;i++) g(a);}", 0, None, "CALL-UNKNOWN"),
    ("pure-user-fn", "static double sq(double x){return x*x;}\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) a[i]=sq(a[i]);}", 0, PF, "OMP-PARALLEL"),
    ("global-writer", "int counter;static void bump(void){counter++;}\nvoid f(int n){for(int i=0;i<n;i++) bump();}", 0, None, "GLOBAL-WRITE"),
    ("writes-shared-arg", "static void z(double*p){p[0]=0;}\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) z(a);}", 0, None, "CALL-SIDE-EFFECT"),
    ("writes-private-buffer", "static void fill(double*p,int m){for(int k=0;k<m;k++) p[k]=k;}\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++){double buf[4];fill(buf,4);a[i]=buf[3];}}", 1, PF, "OMP-PARALLEL"),
    ("callee-of-parallel-loop", "static void fill(double*p,int m){for(int k=0;k<m;k++) p[k]=k;}\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++){double buf[4];fill(buf,4);a[i]=buf[3];}}", 0, None, "NESTED-INSIDE-PARALLEL"),
    ("callee-also-called-serially", "static void fill(double*p,int m){for(int k=0;k<m;k++) p[k]=k;}\nvoid f(int n,double*restrict a){double b[8];fill(b,8);for(int i=0;i<n;i++){double buf[4];fill(buf,4);a[i]=buf[3];}}", 0, PF, "OMP-PARALLEL"),
    ("private-seed", "static double rnd(unsigned*s){*s=*s*1103515245u+12345u;return (*s>>16)&32767;}\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++){unsigned seed=i;a[i]=rnd(&seed);}}", 0, PF, "OMP-PARALLEL"),
    ("shared-seed", "static double rnd(unsigned*s){*s=*s*1103515245u+12345u;return (*s>>16)&32767;}\nvoid f(int n,double*restrict a){unsigned seed=1;for(int i=0;i<n;i++){a[i]=rnd(&seed);}}", 0, None, "SCALAR-CARRIED"),
    ("kr-definition-writes-param", "double randlc(X, A)\ndouble *X;\ndouble *A;\n{ *X = *X * *A; return *X; }\nvoid f(int n,double seed,double a,double*restrict k){for(int i=0;i<n;i++) k[i]=randlc(&seed,&a);}", 0, None, "SCALAR-CARRIED"),
    ("callee-static-state", "static int counter(void){static int c=0;c++;return c;}\nvoid f(int n,int*restrict a){for(int i=0;i<n;i++) a[i]=counter();}", 0, None, "GLOBAL-WRITE"),
    ("static-in-body", "void f(int n,int*restrict a){for(int i=0;i<n;i++){static int t=0;t+=i;a[i]=t;}}", 0, None, "SHARED-WRITE"),
    ("static-const-table-in-body", "void f(int n,double*restrict a){for(int i=0;i<n;i++){static const double w[3]={1,2,3};a[i]=w[i%3];}}", 0, PF, "OMP-PARALLEL"),
    ("callee-fills-private-buffer", "static void ex(double x,double d[5]){int m;for(m=0;m<5;m++) d[m]=x*m;}\ndouble u[64][5];void f(int n){double t[5];int i,m;for(i=0;i<n;i++){ex(i,t);for(m=0;m<5;m++) u[i][m]=t[m];}}", 1, PF + " private(m, t)", "OMP-PARALLEL"),
    ("callee-fills-part-of-buffer", "static void ex(double x,double d[5]){int m;for(m=0;m<4;m++) d[m]=x*m;}\ndouble u[64][5];void f(int n){double t[5];int i,m;for(i=0;i<n;i++){ex(i,t);for(m=0;m<5;m++) u[i][m]=t[m];}}", 1, None, "DEP-CARRIED"),
    ("callee-fills-buffer-conditionally", "static void ex(double x,double d[5]){int m;if(x>0) for(m=0;m<5;m++) d[m]=x*m;}\ndouble u[64][5];void f(int n){double t[5];int i,m;for(i=0;i<n;i++){ex(i,t);for(m=0;m<5;m++) u[i][m]=t[m];}}", 1, None, "CALL-SIDE-EFFECT"),
    ("private-array-shared-by-covering-loops", "double f1[64][5];void g(int n){double d[5];int i,j,m;for(i=0;i<n;i++){for(m=0;m<5;m++) d[m]=i*m;for(m=0;m<5;m++) f1[i][m]=d[m];}for(j=0;j<n;j++){for(m=0;m<5;m++) d[m]=j;for(m=0;m<5;m++) f1[j][m]+=d[m];}}", 0, PF + " private(m, d)", "OMP-PARALLEL"),
    ("private-array-read-after-loop", "double f1[64][5];void g(int n){double d[5];int i,m;for(i=0;i<n;i++){for(m=0;m<5;m++) d[m]=i*m;for(m=0;m<5;m++) f1[i][m]=d[m];}for(m=0;m<5;m++) f1[0][m]=d[m];}", 0, None, "DEP-CARRIED"),
    ("private-array-read-first-in-other-loop", "double f1[64][5];void g(int n){double d[5];int i,j,m;for(i=0;i<n;i++){for(m=0;m<5;m++) d[m]=i*m;for(m=0;m<5;m++) f1[i][m]=d[m];}for(j=0;j<n;j++){f1[j][0]=d[0];d[0]=j;}}", 0, None, "DEP-CARRIED"),
    ("callee-reads-written-global-scalar", "double s;double a[100],b[100];static double g(int i){return s+i;}\nvoid f(void){for(int i=0;i<100;i++){s+=a[i];b[i]=g(i);}}", 0, None, "CALL-SIDE-EFFECT"),
    ("callee-reads-private-global-scalar", "double x;double a[100],b[100];static double g(void){return x*2;}\nvoid f(void){for(int i=0;i<100;i++){x=a[i];b[i]=g();}}", 0, None, "CALL-SIDE-EFFECT"),
    ("callee-reads-written-global-array", "int a[101];static int nexta(int i){return a[i+1];}\nvoid f(void){for(int i=0;i<100;i++) a[i]=nexta(i)*2;}", 0, None, "CALL-SIDE-EFFECT"),
    ("callee-reads-other-global-array", "double c[100],a[100],b[100];static double g(int i){return c[i]*2;}\nvoid f(void){for(int i=0;i<100;i++) b[i]=g(i)+a[i];}", 0, PF, "OMP-PARALLEL"),
    ("object-macro-increments", "int a[100];int cnt;\n#define BUMP cnt++\nvoid f(void){for(int i=0;i<100;i++){a[i]=i;BUMP;}}", 0, None, "MACRO-EFFECT"),
    ("object-macro-calls", "int a[100];int cnt;void w(void){cnt++;}\n#define CALLW w()\nvoid f(void){for(int i=0;i<100;i++){a[i]=i;CALLW;}}", 0, None, "MACRO-EFFECT"),
    ("object-macro-written", "int a[100];\n#define SLOT a[i % 10]\nvoid f(void){for(int i=0;i<100;i++) SLOT+=i;}", 0, None, "MACRO-EFFECT"),
    ("object-macro-reads-written", "int a[101];\n#define X a[i]\nvoid f(void){for(int i=0;i<100;i++) a[i+1]=X;}", 0, None, "MACRO-EFFECT"),
    ("object-macro-constant", "int a[101];\n#define W (3*4)\nvoid f(void){for(int i=0;i<100;i++) a[i]=W;}", 0, PF, "OMP-PARALLEL"),
    ("function-macro-calls-writer", "int a[100];int cnt;void w(int x){cnt+=x;}\n#define LOGW(x) w(x)\nvoid f(void){for(int i=0;i<100;i++){a[i]=i;LOGW(i);}}", 0, None, "GLOBAL-WRITE"),
    ("callee-writes-through-local-copy-of-global", "int b[10];int*gp=b;static void w3(int i){int*q=gp;q[i%3]+=i;}\nvoid f(void){for(int i=0;i<100;i++) w3(i);}", 0, None, "GLOBAL-WRITE"),
    ("callee-writes-through-returned-pointer", "int b[10];static int*get(void){return b;}\nstatic void w7(int i){get()[0]+=i;}\nvoid f(void){for(int i=0;i<100;i++) w7(i);}", 0, None, "CALL-UNKNOWN"),
    ("callee-writes-through-local-copy-of-param", "int b[200];static void w4(int*x,int i){int*y=x;y[1]=y[0]+i;}\nvoid f(void){for(int i=0;i<100;i++) w4(&b[i],i);}", 0, None, "DEP-CARRIED"),
    ("callee-own-malloc-buffer", "#include <stdlib.h>\ndouble out[100];static double work(int n){double*t=malloc(n*sizeof(double));for(int k=0;k<n;k++) t[k]=k;double s=t[n-1];free(t);return s;}\nvoid f(void){for(int i=0;i<100;i++) out[i]=work(i+1);}", 1, PF, "OMP-PARALLEL"),
    ("callee-writes-star-p-of-own-element", "double a[1000];static void touch(double*p,int i){*p=i;}\nvoid f(void){for(int i=0;i<1000;i++) touch(&a[i],i);}", 0, PF, "OMP-PARALLEL"),
    ("callee-writes-next-element-too", "double a[1001];static void touch2(double*p,int i){p[0]=i;p[1]=i;}\nvoid f(void){for(int i=0;i<1000;i++) touch2(&a[i],i);}", 0, None, "DEP-CARRIED"),
    ("callee-updates-element", "double a[1000];static void bump(double*p){*p=*p+1;}\nvoid f(void){for(int i=0;i<1000;i++) bump(&a[i]);}", 0, None, "DEP-CARRIED"),
    ("union-members-share-storage", "union U{int i;float f;};union U u[1000];float out[1000];void f(int n){for(int i=0;i<n-1;i++){u[i].f=1.5f*i;out[i]=(float)u[i+1].i;}}", 0, None, "DEP-CARRIED"),
    ("and-reduction-with-write", "int a[1000],c[1000];int f(int n){int ok=1;for(int i=0;i<n;i++) ok=ok&&(c[i]=a[i]);return ok;}", 0, None, "SCALAR-CARRIED"),
    ("and-reduction-pure", "int a[1000];int f(int n){int ok=1;for(int i=0;i<n;i++) ok=ok&&(a[i]>0);return ok;}", 0, PF + " reduction(&&:ok)", "OMP-PARALLEL"),
    ("global-loop-variable-read-by-callee", "int i;int a[1000];static int geti(void){return i;}\nvoid f(void){for(i=0;i<1000;i++) a[i]=geti();}", 0, None, "CALL-SIDE-EFFECT"),
    ("asm-output-operand", "int g;int a[1000];void f(void){for(int i=0;i<1000;i++){__asm__ volatile(\"incl %0\" : \"+m\"(g));a[i]=i&7;}}", 0, None, "OPAQUE"),
    ("bound-call-reads-written-array", "#include <string.h>\nchar s[1001];int a[1001];void f(void){for(int i=0;i<strlen(s);i++){if(i==400) s[i]=0;a[i]+=2;}}", 0, None, "IV-MODIFIED"),
    ("bound-call-reads-unwritten-array", "#include <string.h>\nchar s[1001];int a[1001];void f(void){for(int i=0;i<strlen(s);i++) a[i]+=2;}", 0, PF, "OMP-PARALLEL"),
    ("errno-in-loop", "#include <errno.h>\n#include <math.h>\nint a[1000];double d[1000];void f(void){for(int i=0;i<1000;i++){d[i]=log(i-500.0);a[i]=errno;}}", 0, None, "THREAD-LOCAL"),
    ("thread-local-variable", "static __thread int tl;int a[1000];void f(void){for(int i=0;i<1000;i++) a[i]=i+tl;}", 0, None, "THREAD-LOCAL"),
    ("char-pointer-onto-doubles", "double d[2000];long b[2000];void f(void){char*cp=(char*)d;for(int i=0;i<2000;i++){cp[i]=1;b[i]=(long)d[i];}}", 0, None, "ALIAS-UNKNOWN"),
    ("write-through-pointer-to-read-scalar", "long a[1000];long f(void){long x=0;long*px=&x;long sum=0;for(int i=0;i<1000;i++){sum+=x;if(i==250) *px=7;}return sum;}", 0, None, "ALIAS-UNKNOWN"),
    ("loop-variable-through-pointer", "int a[1000];void f(void){int i;int*pi=&i;for(i=0;i<1000;i++){a[i]+=1;if(i==500) (*pi)++;}}", 0, None, "ALIAS-UNKNOWN"),
    ("bound-through-pointer", "int a[1000];void f(int n){int*np=&n;for(int i=0;i<n;i++){a[i]+=1;if(i==250) *np=260;}}", 0, None, "ALIAS-UNKNOWN"),
    ("read-through-pointer-to-unwritten-scalar", "double a[1000];void f(double s){double*ps=&s;for(int i=0;i<1000;i++) a[i]=*ps*i;}", 0, PF, "OMP-PARALLEL"),
    ("macro-updates-caller-local", "#define ACC(i) acc += a[i]\ndouble a[1000];double f(void){double acc=0;for(int i=0;i<1000;i++) ACC(i);return acc;}", 0, None, "MACRO-EFFECT"),
    ("macro-uses-loop-variable", "#define NXT(x) ((x)[i + 1])\ndouble a[1001];void f(void){for(int i=0;i<1000;i++) a[i]=NXT(a)+1;}", 0, None, "MACRO-EFFECT"),
    ("macro-reads-through-argument", "#define AT(x, k) ((x)[(k) + 1])\ndouble a[1001];void f(void){for(int i=0;i<1000;i++) a[i]=AT(a,i)+1;}", 0, None, "CALL-SIDE-EFFECT"),
    ("macro-derefs-argument", "#define RD(x) (*(x))\ndouble a[1001];void f(void){for(int i=0;i<1000;i++) a[i]=RD(&a[i+1])+1;}", 0, None, "DEP-CARRIED"),
    ("macro-pure-value", "#define SQ(x) ((x) * (x))\ndouble a[1000],b[1000];void f(void){for(int i=0;i<1000;i++) a[i]=SQ(b[i])+1;}", 0, PF, "OMP-PARALLEL"),
    ("modff-writes-shared", "#include <math.h>\nfloat a[1000],b[1000];void f(void){float ip=0;for(int i=0;i<1000;i++){float g=modff(b[i],&ip);a[i]=g+ip;}}", 0, None, "SCALAR-CARRIED"),
    ("lgamma-sets-signgam", "#include <math.h>\ndouble a[1000],b[1000];void f(void){for(int i=0;i<1000;i++) a[i]=lgamma(b[i]);}", 0, None, "CALL-UNKNOWN"),
    ("multi-statement-macro-body", "#define CLEAR(k) a[k] = 0; b[k] = 1\nvoid f(double*a,double*b,int n){int i;for(i=0;i<n;i++) CLEAR(i);}", 0, None, "MACRO-EFFECT"),
    ("goto-into-loop", "void f(double*a,int n,int c){int i=0;if(c) goto mid;for(i=0;i<n;i++){a[i]+=3;continue;\nmid: a[i]=0;}}", 0, None, "EXIT-EARLY"),
    ("atomic-not-a-reduction", "int f(const double*a,int n){_Atomic int c=0;for(int i=0;i<n;i++) c+=a[i]>0;return c;}", 0, None, "SCALAR-CARRIED"),
    ("loop-is-block-of-parallel", "void f(double*a,int n){\n#pragma omp parallel\nfor(int i=0;i<n;i++) a[i]=2*a[i];}", 0, None, "NESTED-INSIDE-PARALLEL"),
    ("macro-written-through", "#define AT(x, k) ((x)[(k) + 1])\nunsigned a[2008];void f(void){for(int i=0;i<2000;i++) AT(a,i)=a[i]*2u;}", 0, None, "MACRO-EFFECT"),
    ("global-pointer-initialized-to-array", "unsigned a[2008];static unsigned*const pa=a;void f(void){for(int i=0;i<2000;i++) pa[i]=a[i+1]+1u;}", 0, None, "ALIAS-UNKNOWN"),
    ("object-macro-names-array", "unsigned a[2008];\n#define ARR a\nvoid f(void){for(int i=0;i<2000;i++) ARR[i]=a[i+1]+1u;}", 0, None, "ALIAS-UNKNOWN"),
    ("call-site-passes-one-array-twice", "unsigned a[2008];static void kern(unsigned*x,const unsigned*y,int n){for(int z=0;z<n;z++) x[z]=y[z+1]+1u;}\nvoid f(void){kern(a,a,2000);}", 0, None, "ALIAS-UNKNOWN"),
    ("call-site-passes-same-pointer-same-element", "double u[2008],r[2008];static void resid(double*uu,double*v,double*rr,int n){for(int i=1;i<n;i++) rr[i]=v[i]-uu[i-1]-uu[i+1];}\nvoid f(void){resid(u,r,r,2000);}", 0, PF, "OMP-PARALLEL"),
    ("call-site-passes-rows-of-one-array", "double*lv[4];static void cp(double*s,double*d,int n){for(int i=0;i<n;i++) d[i]=s[i];}\nvoid f(int k){cp(lv[k],lv[k-1],100);}", 0, PF, "OMP-PARALLEL"),
    ("loop-variable-after-triangular-inner", "unsigned a[64],h[66][66];void f(void){int i,j=0;for(i=1;i<64;i++){for(j=1;j<i;j++) h[i+1][j]+=h[i][j];a[i]=(unsigned)j;}}", 1, None, "SCALAR-LIVEOUT"),
    ("lastprivate-with-triangular-work", "unsigned a[2000],b[16000];unsigned f(void){int i,j=0;unsigned t=3u;for(i=0;i<2000;i++){t=0u;for(j=0;j<i%8;j++) t+=b[8*i+j];a[i]=t;}return t+j;}", 0, PF + " lastprivate(t, j) schedule(guided)", "OMP-PARALLEL"),
    ("transitive-io", "#include <stdio.h>\nstatic void log1(int i){printf(\"%d\",i);}\nstatic void step(int i){log1(i);}\nvoid f(int n){for(int i=0;i<n;i++) step(i);}", 0, None, "IO"),
    # ---- control flow and form
    ("switch-fallthrough-read", "int a[100],b[100];void f(void){int x=0;for(int i=0;i<100;i++){switch(a[i]){case 0: x=i; /* fall through */\ncase 1: b[i]=x; break;\ndefault: x=2*i; b[i]=x;}}}", 0, None, "SCALAR-CARRIED"),
    ("switch-each-case-writes", "int a[100],b[100];void f(void){int x=0;for(int i=0;i<100;i++){switch(a[i]){case 0: x=i; b[i]=x; break;\ndefault: x=2*i; b[i]=x;}}}", 0, PF + " private(x)", "OMP-PARALLEL"),
    ("break", "int f(int n,const double*a){int i;for(i=0;i<n;i++) if(a[i]<0) break;return i;}", 0, None, "EXIT-EARLY"),
    ("return", "int f(int n,const double*a){for(int i=0;i<n;i++) if(a[i]<0) return i;return -1;}", 0, None, "EXIT-EARLY"),
    ("exit", "#include <stdlib.h>\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) if(a[i]<0) exit(1);}", 0, None, "EXIT-EARLY"),
    ("break-in-inner-ok", "void f(int n,double*restrict a){int i,j;for(i=0;i<n;i++) for(j=0;j<10;j++){if(j>i) break;a[i]+=j;}}", 0, PF + " private(j)", "OMP-PARALLEL"),
    ("continue-ok", "void f(int n,double*restrict a){for(int i=0;i<n;i++){if(a[i]<0) continue;a[i]=1;}}", 0, PF, "OMP-PARALLEL"),
    ("iv-modified", "void f(int n,double*restrict a){for(int i=0;i<n;i++){a[i]=0;if(a[i]) i++;}}", 0, None, "IV-MODIFIED"),
    ("bound-modified", "void f(int n,double*restrict a){for(int i=0;i<n;i++){a[i]=0;n--;}}", 0, None, "IV-MODIFIED"),
    ("while-cond", "void f(int n,double*restrict a){int i=0;for(;i<n;) a[i++]=0;}", 0, None, "NONCANONICAL"),
    ("float-iv", "void f(double*restrict a){for(double x=0;x<1;x+=0.1) a[0]=x;}", 0, None, "NONCANONICAL"),
    ("reverse", "void f(int n,double*restrict a,double*restrict b){for(int i=n-1;i>=0;i--) a[i]=b[i];}", 0, PF, "OMP-PARALLEL"),
    ("reverse-dep", "void f(int n,double*restrict a){for(int i=n-1;i>0;i--) a[i]=a[i-1];}", 0, None, "DEP-CARRIED"),
    ("le-bound", "double a[101];void f(int n){for(int i=0;i<=n;i++) a[i]=i;}", 0, PF, "OMP-PARALLEL"),
    # ---- aliasing
    ("alias-conditional", "void f(int n,double*x,double*y){for(int i=0;i<n;i++) x[i]=y[i];}", 0, PF, "OMP-PARALLEL"),
    ("restrict-no-assumption", "void f(int n,double*restrict x,double*restrict y){for(int i=0;i<n;i++) x[i]=y[i];}", 0, PF, "OMP-PARALLEL"),
    # ---- recommendation
    ("small-trip", "double a[4];void f(void){for(int i=0;i<4;i++) a[i]=0;}", 0, None, "TRIP-SMALL"),
    ("collapse-small-outer", "double a[8][1000];void f(void){int i,j;for(i=0;i<8;i++) for(j=0;j<1000;j++) a[i][j]=0;}", 0, PF + " collapse(2)", "OMP-PARALLEL"),
    ("no-collapse-large", "double a[1000][1000];void f(void){int i,j;for(i=0;i<1000;i++) for(j=0;j<1000;j++) a[i][j]=0;}", 0, PF + " private(j)", "OMP-PARALLEL"),
    ("outermost-legal", "double a[100][100];void f(int n){int i,j;for(i=0;i<n;i++) for(j=0;j<n;j++) a[i][j]=0;}", 1, None, "NESTED-INSIDE-PARALLEL"),
    ("existing-pragma", "void f(int n,double*restrict a){\n#pragma omp parallel for\nfor(int i=0;i<n;i++) a[i]=0;}", 0, None, "OMP-EXISTING"),
    ("inside-existing", "double a[100][100];void f(int n){\n#pragma omp parallel for\nfor(int i=0;i<n;i++) for(int j=0;j<n;j++) a[i][j]=0;}", 1, None, "NESTED-INSIDE-PARALLEL"),
    ("inside-region", "void f(int n,double*restrict a){\n#pragma omp parallel\n{\nfor(int i=0;i<n;i++) a[i]=0;\n}}", 0, None, "NESTED-INSIDE-PARALLEL"),
    ("static-const-bound", "#define N 1000\ndouble a[N];void f(void){for(int i=0;i<N;i++) a[i]=i;}", 0, PF, "OMP-PARALLEL"),
    # ---- the standard library (analysis/stdlib.py): what memset/memcpy/qsort reach, as ranges of elements
    ("memset-own-row-2d", "#include <string.h>\n#include <stdlib.h>\ndouble a[100][100];void f(int n){for(int i=0;i<n;i++) memset(&a[i][0],0,n*sizeof(double));}", 0, PF, "OMP-PARALLEL"),
    ("memset-own-row-linearized", "#include <string.h>\n#include <stdlib.h>\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) memset(a+i*n,0,n*sizeof(double));}", 0, PF, "OMP-PARALLEL"),
    ("memset-own-row-sizeof-pointee", "#include <string.h>\n#include <stdlib.h>\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) memset(&a[i*n],0,sizeof *a*n);}", 0, PF, "OMP-PARALLEL"),
    ("memcpy-own-row-linearized", "#include <string.h>\n#include <stdlib.h>\nvoid f(int n,double*restrict a,double*restrict b){for(int i=0;i<n;i++) memcpy(b+i*n,a+i*n,n*sizeof *b);}", 0, PF, "OMP-PARALLEL"),
    ("memcpy-rows-of-pointer-rows", "#include <string.h>\n#include <stdlib.h>\nvoid f(int n,double**restrict z,double**restrict w){for(int i=0;i<n;i++) memcpy(z[i],w[i],n*sizeof(double));}", 0, PF, "OMP-PARALLEL"),
    ("memset-rows-of-pointer-array", "#include <string.h>\ndouble *rows[100];void f(int n){for(int i=0;i<n;i++) memset(rows[i],0,n*sizeof(double));}", 0, PF, "OMP-PARALLEL"),
    ("memcpy-returned-pointer-written", "#include <string.h>\nvoid f(int n,const double*restrict a,double*restrict b){for(int i=0;i<n;i++){double*e=memcpy(b+i*n,a+i*n,n*sizeof(double));e[n]=0;}}", 0, None, "CALL-SIDE-EFFECT"),
    ("memset-whole-shared-array", "#include <string.h>\n#include <stdlib.h>\ndouble a[100];void f(int n,double*restrict b){for(int i=0;i<n;i++){memset(a,0,sizeof a);a[i%100]+=b[i];}}", 0, None, "CALL-SIDE-EFFECT"),
    ("memset-whole-row-each-iteration", "#include <string.h>\n#include <stdlib.h>\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) memset(a,0,n*sizeof(double));}", 0, None, "DEP-CARRIED"),
    ("memcpy-into-next-row", "#include <string.h>\n#include <stdlib.h>\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) memcpy(a+(i+1)*n,a+i*n,n*sizeof(double));}", 0, None, "DEP-CARRIED"),
    ("memcpy-into-next-row-2d", "#include <string.h>\n#include <stdlib.h>\ndouble a[100][100];void f(int n){for(int i=0;i<n;i++) memcpy(a[i+1],a[i],n*sizeof(double));}", 0, None, "DEP-CARRIED"),
    ("memcpy-two-rows-long", "#include <string.h>\n#include <stdlib.h>\nvoid f(int n,double*restrict a,const double*restrict b){for(int i=0;i<n;i++) memcpy(a+i*n,b,2*n*sizeof(double));}", 0, None, "DEP-CARRIED"),
    ("memset-size-of-other-type", "#include <string.h>\n#include <stdlib.h>\nvoid f(int n,float*restrict a){for(int i=0;i<n;i++) memset(a+i*n,0,n*sizeof(double));}", 0, None, "CALL-SIDE-EFFECT"),
    ("memset-bytes-of-chars", "#include <string.h>\n#include <stdlib.h>\nvoid f(int n,unsigned char*restrict a){for(int i=0;i<n;i++) memset(a+i*n,0,n);}", 0, PF, "OMP-PARALLEL"),
    ("memset-bytes-of-doubles", "#include <string.h>\n#include <stdlib.h>\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) memset(a+i*n,0,n);}", 0, None, "CALL-SIDE-EFFECT"),
    ("memset-through-cast-to-char", "#include <string.h>\n#include <stdlib.h>\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) memset((char*)a+i*n,0,n*sizeof(double));}", 0, None, "CALL-SIDE-EFFECT"),
    ("qsort-own-row", "#include <string.h>\n#include <stdlib.h>\nstatic int cmp(const void*x,const void*y){double a=*(const double*)x,b=*(const double*)y;return (a>b)-(a<b);}\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) qsort(a+i*n,n,sizeof(double),cmp);}", 0, PF, "OMP-PARALLEL"),
    ("qsort-shared-array", "#include <string.h>\n#include <stdlib.h>\nstatic int cmp(const void*x,const void*y){double a=*(const double*)x,b=*(const double*)y;return (a>b)-(a<b);}\nvoid f(int n,double*restrict a){for(int i=0;i<n;i++) qsort(a,n,sizeof(double),cmp);}", 0, None, "DEP-CARRIED"),
    ("qsort-comparator-writes-global", "#include <string.h>\n#include <stdlib.h>\nint calls;static int cmp(const void*x,const void*y){calls++;return *(const int*)x-*(const int*)y;}\nvoid f(int n,int*restrict a){for(int i=0;i<n;i++) qsort(a+i*n,n,sizeof(int),cmp);}", 0, None, "GLOBAL-WRITE"),
    ("qsort-comparator-unknown", "#include <string.h>\n#include <stdlib.h>\nint cmp(const void*,const void*);void f(int n,int*restrict a){for(int i=0;i<n;i++) qsort(a+i*n,n,sizeof(int),cmp);}", 0, None, "CALL-UNKNOWN"),
    ("qsort-element-size-mismatch", "#include <string.h>\n#include <stdlib.h>\nstatic int cmp(const void*x,const void*y){double a=*(const double*)x,b=*(const double*)y;return (a>b)-(a<b);}\nvoid f(int n,float*restrict a){for(int i=0;i<n;i++) qsort(a+i*n,n,sizeof(double),cmp);}", 0, None, "CALL-SIDE-EFFECT"),
    ("qsort-in-callee-comparator-writes-global", "#include <string.h>\n#include <stdlib.h>\nint calls;static int cmp(const void*x,const void*y){calls++;return *(const int*)x-*(const int*)y;}\nstatic void srt(int*p,int n){qsort(p,n,sizeof(int),cmp);}\nvoid f(int n,int*restrict a){for(int i=0;i<n;i++) srt(a+i*n,n);}", 0, None, "GLOBAL-WRITE"),
    ("cxx-library-names-in-c-are-unseen-functions", "int clamp(int,int,int);void sort(int*,int*);\nvoid f(int n,int*restrict a){for(int i=0;i<n;i++){a[i]=clamp(a[i],0,9);sort(a+i,a+i+1);}}", 0, None, "CALL-UNKNOWN"),
    ("uint32-c-macro", "#include <stdint.h>\nvoid f(int n,uint64_t*restrict a){for(int i=0;i<n;i++) a[i]=UINT64_C(6364136223846793005)*i+UINT32_C(1);}", 0, PF, "OMP-PARALLEL"),
]


@pytest.mark.parametrize("case_id,code,index,pragma,code_id", CASES, ids=[(c.values if hasattr(c, "values") else c)[0] for c in CASES])
def test_case(case_id, code, index, pragma, code_id):
    loops = loops_of(code)
    a = loops[index]
    assert a.pragma == pragma, [r.message for r in a.reasons]
    assert a.reasons[0].code == code_id, [r.message for r in a.reasons]


def test_suite_is_large_enough():
    assert len(CASES) >= 60


CPP_CASES = [
    # ---- new and delete (grappolo's buildNextPhase.cpp, vertexFollowing.cpp)
    ("new-into-own-element", "#include <map>\nvoid f(std::map<long,long>**c,long n){for(long i=0;i<n;i++) c[i]=new std::map<long,long>();}", 0, PF, "OMP-PARALLEL"),
    ("new-array-into-own-element", "void f(double**a,long n,long m){for(long i=0;i<n;i++) a[i]=new double[m];}", 0, PF, "OMP-PARALLEL"),
    ("delete-own-element", "#include <map>\nvoid f(std::map<long,double>**c,long n){for(long i=0;i<n;i++) delete c[i];}", 0, PF, "OMP-PARALLEL"),
    ("delete-array-own-element", "void f(double**a,long n){for(long i=0;i<n;i++) delete[] a[i];}", 0, PF, "OMP-PARALLEL"),
    ("new-delete-iteration-buffer", "double out[100];void f(long m){for(long i=0;i<100;i++){double*t=new double[m];for(long k=0;k<m;k++) t[k]=i*k;out[i]=t[m-1];delete[] t;}}", 0, PF, "OMP-PARALLEL"),
    ("delete-shared-pointer", "double out[100];void f(double*t){for(long i=0;i<100;i++){out[i]=i;delete[] t;}}", 0, None, "ALLOC"),
    ("new-object-whose-constructor-has-effects", "#include <cstdio>\nstruct T{T(){printf(\"x\");} double v;};\nvoid f(T**a,long n){for(long i=0;i<n;i++) a[i]=new T();}", 0, None, "ALLOC"),
    ("callee-news-object-whose-constructor-has-effects", "#include <cstdio>\nstruct T{T(){printf(\"x\");} double v;};\nstatic T*make(){T*t=new T();return t;}\nvoid f(T**a,long n){for(long i=0;i<n;i++) a[i]=make();}", 0, None, "ALLOC"),
    ("new-into-shared-scalar", "double*g;double out[100];void f(void){for(long i=0;i<100;i++){out[i]=i;if(i==3) g=new double[4];}}", 0, None, "SCALAR-LIVEOUT"),
    # ---- C++ as real projects write it (real-applications issue, point 1)
    ("issue-reference-constructs-nothing", "#include <cstdio>\ntypedef double Real_t;\nstruct Domain {\n  Domain(int n) { printf(\"make %d\\n\", n); }\n  Real_t& x(int i) { return m_x[i]; }\n  Real_t* m_x;\n};\nvoid scale(Domain& domain, int n, Real_t s) {\n  for (int i = 0; i < n; ++i)\n    domain.x(i) = domain.x(i) * s + Real_t(0.5);\n}\n", 0, PF, "OMP-PARALLEL"),
    ("issue-functional-casts", "typedef double Real_t;\nvoid scale2(Real_t* a, int n) {\n  for (int i = 0; i < n; ++i)\n    a[i] = a[i] * float(2) + Real_t(0.5);\n}\n", 0, PF, "OMP-PARALLEL"),
    ("object-created-in-loop-runs-its-constructor", "#include <cstdio>\nstruct T{T(int n){printf(\"%d\",n);}};\nvoid f(double*__restrict a,int n){for(int i=0;i<n;i++){T t(i);a[i]=i;}}", 0, None, "CALL-SIDE-EFFECT"),
    ("pointer-to-object-constructs-nothing", "#include <cstdio>\nstruct T{T(int n){printf(\"%d\",n);} double v;};\nvoid f(double*__restrict a,T*t,int n){for(int i=0;i<n;i++){T*p=t;a[i]=p->v;}}", 0, PF, "OMP-PARALLEL"),
    ("object-copied-to-a-call-runs-its-constructor", "#include <cstdio>\nstruct T{T(){} T(const T&){printf(\"copy\");} double v;};\nstatic double g(T t){return t.v;}\nvoid f(double*__restrict a,T&t,int n){for(int i=0;i<n;i++) a[i]=g(t);}", 0, None, "CALL-SIDE-EFFECT"),
    ("object-by-reference-to-a-call-constructs-nothing", "#include <cstdio>\nstruct T{T(){} T(const T&){printf(\"copy\");} double v;};\nstatic double g(const T&t){return t.v;}\nvoid f(double*__restrict a,T&t,int n){for(int i=0;i<n;i++) a[i]=g(t);}", 0, PF, "OMP-PARALLEL"),
    ("functor-accessor-2d", "#include <cstdlib>\ntemplate <typename T> struct Buffer2D{size_t sizeX; T*data; ~Buffer2D(){std::free(data);} T&operator()(size_t i,size_t j) const {return data[i+j*sizeX];}};\nvoid k(int n,int m,Buffer2D<double>&a,Buffer2D<double>&b){for(int j=0;j<m;j++) for(int i=0;i<n;i++) a(i,j)=2*b(i,j);}", 0, PF, "OMP-PARALLEL"),
    ("functor-accessor-dependence", "#include <cstdlib>\ntemplate <typename T> struct Buffer2D{size_t sizeX; T*data; T&operator()(size_t i,size_t j) const {return data[i+j*sizeX];}};\nvoid k(int n,int m,Buffer2D<double>&a){for(int j=1;j<m;j++) for(int i=0;i<n;i++) a(i,j)=a(i,j-1);}", 0, None, "DEP-CARRIED"),
    ("member-object-accessor", "template <typename T> struct Buffer1D{T*data; T&operator()(size_t i) const {return data[i];}};\nstruct Field{Buffer1D<double> u,v;};\nvoid k(int n,Field&f){for(int i=0;i<n;i++) f.u(i)=f.v(i)*2;}", 0, PF, "OMP-PARALLEL"),
    # ---- review: accessors that are not a per-object member array
    ("accessor-of-a-global-is-the-global", "double g[1001];\nstruct A{double&operator()(int i){return g[i];}};\nvoid k(A&a,int n){for(int i=0;i<n;i++) a(i)=g[i+1]+1;}", 0, None, "DEP-CARRIED"),
    ("accessor-of-a-static-member-is-shared", "struct A{static double s[101]; double&x(int i){return s[i];}};\nvoid k(A&a,A&b,int n){for(int i=0;i<n;i++) a.x(i)=b.x(i+1)+1;}", 0, None, "DEP-CARRIED"),
    ("method-named-like-another-class-accessor", "struct A{double*m; double&x(int i){return m[i];}};\nstruct B{double*m; int c; double&x(int i){c++; return m[i];}};\nvoid k(B*b,double*__restrict out,int n){for(int i=0;i<n;i++) out[i]=b->x(i);}", 0, None, "SHARED-WRITE"),
    ("accessor-overload-with-effects", "int cnt;\nstruct A{double*m; double&x(int i){return m[i];} double x(int i,int j){cnt+=j; return m[i];}};\nvoid k(A&a,double*__restrict out,int n){for(int i=0;i<n;i++) out[i]=a.x(i,1);}", 0, None, "GLOBAL-WRITE"),
    # ---- review: implicit members run on elements of arrays of objects
    ("element-assignment-runs-operator-with-effects", "int made;\nstruct T{double v; T&operator=(const T&o){v=o.v; made++; return *this;}};\nvoid f(T*__restrict a,T*__restrict b,int n){for(int i=0;i<n;i++) a[i]=b[i];}", 0, None, "CALL-SIDE-EFFECT"),
    ("element-passed-by-value-is-copied", "int made;\nstruct T{double v; T(){} T(const T&o):v(o.v){made++;}};\nstatic double g(T t){return t.v;}\nvoid f(double*__restrict a,T*__restrict b,int n){for(int i=0;i<n;i++) a[i]=g(b[i]);}", 0, None, "CALL-SIDE-EFFECT"),
    ("auto-copy-of-an-element-is-copied", "int made;\nstruct U{double v; U(const U&o):v(o.v){made++;}};\nvoid f(double*__restrict a,U*b,int n){for(int i=0;i<n;i++){auto c=b[i]; a[i]=c.v;}}", 0, None, "CALL-SIDE-EFFECT"),
    ("static-cast-constructs", "int made;\nstruct U{double v; U(double x):v(x){made++;}};\nvoid f(double*__restrict a,double*b,int n){for(int i=0;i<n;i++) a[i]=static_cast<U>(b[i]).v;}", 0, None, "CALL-SIDE-EFFECT"),
    ("auto-pointer-copy-constructs-nothing", "int made;\nstruct U{double v; U(const U&o):v(o.v){made++;}};\nvoid f(double*__restrict a,U*b,int n){for(int i=0;i<n;i++){auto p=b; a[i]=p[i].v;}}", 0, PF, "OMP-PARALLEL"),
    ("auto-reference-constructs-nothing", "int made;\nstruct U{double v; U(const U&o):v(o.v){made++;}};\nvoid f(double*__restrict a,U*b,int n){for(int i=0;i<n;i++){auto&c=b[i]; a[i]=c.v;}}", 0, PF, "OMP-PARALLEL"),
    # ---- review: functional casts
    ("macro-named-like-a-typedef-is-a-macro", "int g;\ntypedef double T;\n#define T(x) (g++, x)\nvoid f(double*__restrict a,int n){for(int i=0;i<n;i++) a[i]=T(i);}", 0, None, "GLOBAL-WRITE"),
    ("function-named-like-a-typedef-elsewhere", "int g;\nnamespace q{typedef double R;}\nint R(int x){return g+=x;}\nvoid f(double*__restrict a,int n){for(int i=0;i<n;i++) a[i]=R(i);}", 0, None, "GLOBAL-WRITE"),
    ("function-declared-like-a-typedef-elsewhere", "namespace q{typedef double R;}\nint R(int x);\nvoid f(double*__restrict a,int n){for(int i=0;i<n;i++) a[i]=R(i);}", 0, None, "CALL-UNKNOWN"),
    ("typedef-in-a-namespace-still-converts", "namespace q{typedef double R;}\nusing q::R;\nvoid f(double*__restrict a,int n){for(int i=0;i<n;i++) a[i]=R(i);}", 0, PF, "OMP-PARALLEL"),
    ("member-object-accessor-dependence", "template <typename T> struct Buffer1D{T*data; T&operator()(size_t i) const {return data[i];}};\nstruct Field{Buffer1D<double> u;};\nvoid k(int n,Field&f){for(int i=1;i<n;i++) f.u(i)=f.u(i-1)*2;}", 0, None, "DEP-CARRIED"),
    ("out-of-line-accessor", "struct D{double*m_x; double& x(int i);};\ndouble& D::x(int i){return m_x[i];}\nvoid f(D&d,int n){for(int i=0;i<n;i++) d.x(i)=d.x(i)+1;}", 0, PF, "OMP-PARALLEL"),
    ("statement-expression-locals", "void f(double*__restrict a,const double*__restrict b,int n){for(int i=0;i<n;i++) ({ int up; if(b[i]>0) up=i; else up=i+1; a[i]=up; });}", 0, PF, "OMP-PARALLEL"),
    ("macro-typed-reduction", "#define real_t double\nreal_t f(const real_t*a,int n){real_t m=a[0];for(int i=0;i<n;i++) m=m>a[i]?m:a[i];return m;}", 0, PF + " reduction(max:m)", "OMP-PARALLEL"),
    ("template-cast", "template <typename T> void f(T*a,int n){for(int i=0;i<n;i++) a[i]=a[i]*T(2)+T(0);}", 0, PF, "OMP-PARALLEL"),
    # a C++ call may change its argument through a reference: no straight-line value for it
    ("by-reference-call-changes-subscript", "int a[4000];static void zero(int &x){x=0;}\nvoid g(int n){for(int i=0;i<n;i++){int k=2*i;zero(k);a[k]=a[k]+i;}}", 0, None, "DEP-UNKNOWN"),
    ("strip-mined-bound-changed-by-reference", "int a[70064];static void bump(int &x){x+=100;}\nvoid f(int n){for(int blk=0;blk<n/8;blk++){int s=blk*8;int e=blk*8+8;bump(e);for(int i=s;i<e;i++) a[i+8]=a[i]+1;}}", 1, None, "DEP-CARRIED"),
    ("strip-mined-bound-changed-by-lambda", "int a[70064];void f(int n){for(int blk=0;blk<n/8;blk++){int s=blk*8;int e=blk*8+8;auto g=[&]{e=s+100;};g();for(int i=s;i<e;i++) a[i+8]=a[i]+1;}}", 1, None, "DEP-CARRIED"),
    ("vector-index", "#include <vector>\nvoid f(std::vector<double>& a, const std::vector<double>& b){for(size_t i=0;i<a.size();++i) a[i]=b[i]*2;}", 0, PF, "OMP-PARALLEL"),
    ("vector-push", "#include <vector>\nvoid f(std::vector<double>& a, int n){for(int i=0;i<n;++i) a.push_back(i);}", 0, None, "SHARED-WRITE"),
    ("std-max", "#include <algorithm>\ndouble f(const double* a,int n){double m=0;for(int i=0;i<n;i++) m=std::max(m,a[i]);return m;}", 0, PF + " reduction(max:m)", "OMP-PARALLEL"),
    ("range-for", "#include <vector>\nvoid f(std::vector<double>& v){for(auto& x: v) x+=1;}", 0, PF, "OMP-PARALLEL"),  # OpenMP 5: tests/analysis/test_range_for.py
    ("accessor", "typedef double Real_t; typedef int Index_t;\nstruct Domain{ Real_t& x(Index_t i){return m_x[i];} Real_t* m_x; };\nvoid f(Domain& d,int n){for(Index_t i=0;i<n;++i) d.x(i)=d.x(i)*2.0;}", 0, PF, "OMP-PARALLEL"),
    ("accessor-dep", "typedef double Real_t; typedef int Index_t;\nstruct Domain{ Real_t& x(Index_t i){return m_x[i];} Real_t* m_x; };\nvoid f(Domain& d,int n){for(Index_t i=1;i<n;++i) d.x(i)=d.x(i-1)*2.0;}", 0, None, "DEP-CARRIED"),
    ("ofstream-insert", "#include <fstream>\nvoid f(const float* v,int n){std::ofstream file(\"d\");for(int i=0;i<n;i++) file << v[i] << std::endl;}", 0, None, "IO"),
    ("cout-in-callee", "#include <iostream>\nstatic void show(double x){std::cout << x;}\nvoid f(const double* a,int n){for(int i=0;i<n;i++) show(a[i]);}", 0, None, "IO"),
    ("shift-value-ok", "void f(int* __restrict a,int n){for(int i=0;i<n;i++) a[i]=a[i] << 2;}", 0, PF, "OMP-PARALLEL"),
    ("overload-writes-global", "int cnt;int b[100];int w(int i){return i;}\nint w(long i){cnt++;return (int)i;}\nvoid f(){for(int i=0;i<100;i++) b[i]=w((long)i);}", 0, None, "GLOBAL-WRITE"),
    ("reference-to-privatized-scalar", "int a[100],b[100];void f(){int y=0;int&r=y;for(int i=0;i<100;i++){y=a[i];b[i]=r*2;}}", 0, None, "SCALAR-CARRIED"),
    ("reference-to-reduction-scalar", "int a[100],b[100];void f(){int s=0;int&r=s;for(int i=0;i<100;i++){s+=a[i];b[i]=r;}}", 0, None, "SCALAR-CARRIED"),
    ("reference-to-shared-element", "int a[100],b[10];void f(){for(int i=0;i<100;i++){int&r=b[i%10];r+=a[i];}}", 0, None, "DEP-CARRIED"),
    ("reference-to-next-element", "int a[101];void f(){int*p=a;for(int i=0;i<100;i++){int&r=p[i+1];r=p[i];}}", 0, None, "DEP-CARRIED"),
    ("reference-to-own-element", "struct P{double x,vx;};\nvoid f(P*__restrict ps,int n){for(int i=0;i<n;i++){P&p=ps[i];p.x+=p.vx;}}", 0, PF, "OMP-PARALLEL"),
    ("gnu-restrict", "void f(double*__restrict a,double*__restrict b,int n){for(int i=0;i<n;i++) a[i]=b[i+1];}", 0, PF, "OMP-PARALLEL"),
    ("method-modifies-member", "struct Counter{int n;void add(int v){n+=v;}};\nCounter obj;int a[100];void f(){for(int i=0;i<100;i++) obj.add(a[i]);}", 0, None, "SHARED-WRITE"),
    ("user-method-named-like-const-method", "struct C{int n;int count(){return n++;}};\nC obj;int b[100];void f(){for(int i=0;i<100;i++) b[i]=obj.count();}", 0, None, "SHARED-WRITE"),
    ("method-of-local-object", "struct Counter{int n;void add(int v){n+=v;}};\nint a[100],b[100];void f(){for(int i=0;i<100;i++){Counter c{0};c.add(a[i]);b[i]=c.n;}}", 0, PF, "OMP-PARALLEL"),
    ("vector-at-shared-element", "#include <vector>\nvoid f(std::vector<int>& v,const int* __restrict a){for(int i=0;i<100;i++) v.at(i%10)+=a[i];}", 0, None, "DEP-CARRIED"),
    ("vector-front", "#include <vector>\nvoid f(std::vector<int>& v,const int* __restrict a){for(int i=0;i<100;i++) v.front()+=a[i];}", 0, None, "DEP-CARRIED"),
    ("vector-at-own-element", "#include <vector>\nvoid f(std::vector<int>& v,const std::vector<int>& a){for(int i=0;i<100;i++) v.at(i)=2*a[i];}", 0, PF, "OMP-PARALLEL"),
    ("std-fill-in-loop", "#include <algorithm>\n#include <vector>\nvoid f(std::vector<int>& v){for(int i=0;i<100;i++) std::fill(v.begin(),v.end(),i);}", 0, None, "CALL-SIDE-EFFECT"),
    ("vector-reference-params-may-alias", "#include <vector>\nvoid f(std::vector<int>& v,std::vector<int>& w){for(int i=0;i<100;i++) v[i]=w[i+1];}", 0, PF, "OMP-PARALLEL"),
    ("destructor-writes-global", "int g;int a[1000];\nstruct Guard{Guard(){} ~Guard(){g++;}};\nvoid f(){for(int i=0;i<1000;i++){Guard gd;a[i]=i;}}", 0, None, "CALL-SIDE-EFFECT"),
    ("assignment-operator-writes-global", "int g;\nstruct Num{int v;Num& operator=(int x){v=x;g++;return *this;}};\nNum nums[1000];void f(){for(int i=0;i<1000;i++) nums[i]=i;}", 0, None, "CALL-SIDE-EFFECT"),
    ("conversion-operator-writes-global", "int g;int a[1000];\nstruct Conv{operator int() const {return g++;}};\nConv cv;void f(){for(int i=0;i<1000;i++) a[i]+=cv;}", 0, None, "CALL-SIDE-EFFECT"),
    ("map-subscript-inserts", "#include <map>\nstd::map<int,int> m;void f(int n){for(int i=0;i<n;i++) m[i]=i;}", 0, None, "SHARED-WRITE"),
    # an array of pointers to maps: 'rows[i]' loads a pointer (grappolo), only a further
    # subscript reaches a map's operator[]
    ("map-pointer-array-element-read", "#include <map>\nvoid f(long n,std::map<long,double>** rows,std::map<long,double>** out){for(long i=0;i<n;i++) out[i]=rows[i];}", 0, PF, "OMP-PARALLEL"),
    ("map-pointer-array-same-element", "#include <map>\nvoid f(long n,std::map<long,double>** rows,std::map<long,double>** out){for(long i=0;i<n;i++) out[0]=rows[i];}", 0, None, "DEP-CARRIED"),
    ("map-pointer-subscript-inserts", "#include <map>\nvoid f(long n,std::map<long,double>* m){for(long i=0;i<n;i++) m[0][i]=1.0;}", 0, None, "SHARED-WRITE"),
    ("map-array-subscript-inserts", "#include <map>\nstd::map<int,int> ms[4];void f(int n){for(int i=0;i<n;i++) ms[1][i]=i;}", 0, None, "SHARED-WRITE"),
    ("vector-bool-elements-share-words", "#include <vector>\nvoid f(int n){std::vector<bool> vb(n);for(int i=0;i<n;i++) vb[i]=(i%3)==0;}", 0, None, "DEP-UNKNOWN"),
    ("string-append-not-a-reduction", "#include <string>\nstd::string f(int n){std::string s;for(int i=0;i<n;i++) s+=(char)('a'+i%26);return s;}", 0, None, "SCALAR-CARRIED"),
    ("class-plus-equals-not-a-reduction", "struct V{double x,y;V& operator+=(const V& o){x+=o.x;y=y*0.5+o.y;return *this;}};\nV vs[1000];V f(){V acc{0,0};for(int i=0;i<1000;i++) acc+=vs[i];return acc;}", 0, None, "SCALAR-CARRIED"),
    ("auto-pointer-into-array", "double g[1004],c[1004];void f(){for(int i=0;i<1000;i++){auto p=g+i;p[0]=c[i];p[1]=2*c[i];}}", 0, None, "DEP-CARRIED"),
    ("auto-iterator-offset", "#include <vector>\nvoid f(std::vector<double>& w,const double* __restrict c){for(int i=0;i<1000;i++){auto it=w.begin();it[i]=c[i]+it[i+1];}}", 0, None, "DEP-CARRIED"),
    ("std-fill-iterator-plus-offset", "#include <algorithm>\n#include <vector>\nvoid f(std::vector<double>& w,const double* __restrict c){for(int i=0;i<1000;i++) std::fill(w.begin()+i,w.begin()+i+2,c[i]);}", 0, None, "DEP-CARRIED"),
    ("template-type-not-a-reduction", "template <typename T> T total(const T*a,int n){T s=T();for(int i=0;i<n;i++) s+=a[i];return s;}", 0, None, "SCALAR-CARRIED"),
    ("typedef-double-reduction", "typedef double Real;\nReal total(const Real*a,int n){Real s=0;for(int i=0;i<n;i++) s+=a[i];return s;}", 0, PF + " reduction(+:s)", "OMP-PARALLEL"),
    ("constexpr-function-loop", "constexpr int sum(const int*a,int n){int s=0;for(int i=0;i<n;i++) s+=a[i];return s;}", 0, None, "PLACEMENT"),
    ("template-lambda", "template<class T> T sq(T x){return x*x;}\nvoid f(double* __restrict a,int n){auto g=[](double v){return v+1;};for(int i=0;i<n;i++) a[i]=sq(a[i]);}", 0, PF, "OMP-PARALLEL"),
    # ---- the C++ standard library: ranges of <algorithm>, comparators, std::complex, std::array, std::vector
    ("std-sort-own-row", "#include <algorithm>\nvoid f(int n,double*__restrict a){for(int i=0;i<n;i++) std::sort(a+i*n,a+i*n+n);}", 0, PF, "OMP-PARALLEL"),
    ("std-sort-own-vector-row", "#include <algorithm>\n#include <vector>\nvoid f(int n,std::vector<std::vector<int>>&v){for(int i=0;i<n;i++) std::sort(v[i].begin(),v[i].end());}", 0, PF, "OMP-PARALLEL"),
    ("std-sort-shared-range", "#include <algorithm>\nvoid f(int n,double*__restrict a){for(int i=0;i<n;i++) std::sort(a,a+n);}", 0, None, "DEP-CARRIED"),
    ("std-sort-overlapping-ranges", "#include <algorithm>\nvoid f(int n,double*__restrict a){for(int i=0;i<n;i++) std::sort(a+i*n,a+i*n+n+1);}", 0, None, "DEP-CARRIED"),
    ("std-sort-comparator-writes-global", "#include <algorithm>\nint calls;static bool less(double x,double y){calls++;return x<y;}\nvoid f(int n,double*__restrict a){for(int i=0;i<n;i++) std::sort(a+i*n,a+i*n+n,less);}", 0, None, "GLOBAL-WRITE"),
    ("std-sort-greater-functor", "#include <algorithm>\n#include <functional>\nvoid f(int n,double*__restrict a){for(int i=0;i<n;i++) std::sort(a+i*n,a+i*n+n,std::greater<double>());}", 0, PF, "OMP-PARALLEL"),
    ("std-sort-lambda-comparator", "#include <algorithm>\nint calls;void f(int n,double*__restrict a){for(int i=0;i<n;i++) std::sort(a+i*n,a+i*n+n,[](double x,double y){calls++;return x<y;});}", 0, None, "CALL-UNKNOWN"),
    ("std-copy-returned-end-written", "#include <algorithm>\nvoid f(int n,const double*__restrict a,double*__restrict b){for(int i=0;i<n;i++){auto e=std::copy(a+i*n,a+i*n+n,b+i*n);*e=0;}}", 0, None, "CALL-SIDE-EFFECT"),
    ("library-names-with-other-arities", "struct V{double x;};static double v;\nvoid f(int n,double*__restrict a){for(int i=0;i<n;i++){V c;a[i]=copy(c)+fill_n(a[i])+memcpy(a[i]);}}\ndouble copy(V){return v;}double fill_n(double){return v;}double memcpy(double){return v;}", 0, PF, "OMP-PARALLEL"),
    ("library-names-of-unseen-functions", "struct V{double x;};double copy(V);double fill_n(double);\nvoid f(int n,double*__restrict a){for(int i=0;i<n;i++){V c;a[i]=copy(c)+fill_n(a[i]);}}", 0, None, "CALL-UNKNOWN"),
    ("std-fill-own-range", "#include <algorithm>\nvoid f(int n,double*__restrict p){for(int i=0;i<n;i++) std::fill(p+i*n,p+i*n+n,0.0);}", 0, PF, "OMP-PARALLEL"),
    ("std-copy-own-row", "#include <algorithm>\nvoid f(int n,const double*__restrict a,double*__restrict b){for(int i=0;i<n;i++) std::copy(a+i*n,a+i*n+n,b+i*n);}", 0, PF, "OMP-PARALLEL"),
    ("std-copy-into-next-row", "#include <algorithm>\nvoid f(int n,double*__restrict b){for(int i=0;i<n;i++) std::copy(b+i*n,b+i*n+n,b+i*n+n);}", 0, None, "DEP-CARRIED"),
    ("std-min-max-clamp", "#include <algorithm>\nvoid f(int n,double*__restrict a,const double*__restrict b){for(int i=0;i<n;i++) a[i]=std::clamp(b[i],0.0,1.0)+std::min(b[i],2.0)-std::max(b[i],-1.0)+std::abs(b[i]);}", 0, PF, "OMP-PARALLEL"),
    ("std-complex-free-functions", "#include <complex>\nvoid f(int n,const std::complex<double>*__restrict z,double*__restrict r){for(int i=0;i<n;i++) r[i]=std::abs(z[i])+std::real(z[i])+std::imag(z[i])+std::norm(z[i])+std::arg(std::conj(z[i]));}", 0, PF, "OMP-PARALLEL"),
    ("std-complex-setter-shared", "#include <complex>\nstd::complex<double> z;void f(int n,const double*__restrict b){for(int i=0;i<n;i++) z.real(b[i]);}", 0, None, "SHARED-WRITE"),
    ("std-complex-setter-own-element", "#include <complex>\nvoid f(int n,std::complex<double>*__restrict c,const double*__restrict b){for(int i=0;i<n;i++) c[i].imag(b[i]);}", 0, PF, "OMP-PARALLEL"),
    ("std-array-fill-shared", "#include <array>\nstd::array<double,8> g;void f(int n,const double*__restrict b){for(int i=0;i<n;i++) g.fill(b[i]);}", 0, None, "SHARED-WRITE"),
    ("std-vector-memcpy-data-row", "#include <vector>\n#include <cstring>\nvoid f(int n,std::vector<double>&b,const std::vector<double>&a){for(int i=0;i<n;i++) std::memcpy(b.data()+i*n,&a[i*n],n*sizeof(double));}", 0, PF, "OMP-PARALLEL"),
    # a lambda's body is a function of its own: its loops are reported, what it captures is the enclosing function's
    ("lambda-loop-reported", "void f(double*__restrict a,int n){auto g=[&](){for(int i=0;i<n;i++) a[i]=2*a[i];};g();}", 0, PF, "OMP-PARALLEL"),
    ("lambda-captured-pointer-origin", "void f(double*a,int n){double*p=a+1;auto g=[&](){for(int i=0;i<n;i++) a[i]=p[i];};g();}", 0, None, "ALIAS-UNKNOWN"),
    ("lambda-captured-array-dependence", "void f(){double x[100];auto g=[&](){for(int i=0;i<99;i++) x[i]=x[i+1];};g();}", 0, None, "DEP-CARRIED"),
    ("lambda-captured-reduction", "double f(const double*__restrict a,int n){double s=0;auto g=[&](){for(int i=0;i<n;i++) s+=a[i];};g();return s;}", 0, PF + " reduction(+:s)", "OMP-PARALLEL"),
    ("lambda-captured-parameter-live-after", "int f(int n){auto g=[&](){for(int i=0;i<100;i++) n=i;};g();return n;}", 0, PF + " lastprivate(n)", "OMP-PARALLEL"),
    ("lambda-captured-reference", "void f(double*b,int k,int n){double&r=b[k];auto g=[&](){for(int i=0;i<n;i++) r=i;};g();}", 0, None, "DEP-CARRIED"),
    ("lambda-captured-lambda-not-the-global", "int g(int i){return i;}\nvoid f(double*__restrict a,int n){auto g=[&](int i){return a[0]++;};auto k=[&](){for(int i=0;i<n;i++) a[i]=g(i);};k();}", 0, None, "CALL-UNKNOWN"),
    ("lambda-captured-reference-parameters-may-overlap", "#include <vector>\nvoid f(std::vector<double>&v,std::vector<double>&w,int n){auto g=[&](){for(int i=0;i<n;i++) v[i]=w[i+1];};g();}", 0, PF, "OMP-PARALLEL"),
    ("lambda-in-a-loop", "void f(double*__restrict a,int n){for(int k=0;k<n;k++){auto g=[&](){for(int i=0;i<n;i++) a[i]+=k;};g();}}", 1, PF, "OMP-PARALLEL"),
    ("std-vector-size-data-at", "#include <vector>\nvoid f(std::vector<double>&b,const std::vector<double>&a){for(size_t i=0;i<b.size();i++) b[i]=a.at(i)+a.data()[0]+a.size();}", 0, PF, "OMP-PARALLEL"),
]


@pytest.mark.parametrize("case_id,code,index,pragma,code_id", CPP_CASES, ids=[(c.values if hasattr(c, "values") else c)[0] for c in CPP_CASES])
def test_cpp_case(case_id, code, index, pragma, code_id):
    a = loops_of(code, "cpp")[index]
    assert a.pragma == pragma, [r.message for r in a.reasons]
    assert a.reasons[0].code == code_id, [r.message for r in a.reasons]


def test_lambda_reference_parameters_overlap_is_said():
    a = loops_of("#include <vector>\nvoid f(std::vector<double>&v,std::vector<double>&w,int n){auto g=[&](){for(int i=0;i<n;i++) v[i]=w[i+1];};g();}", "cpp")[0]
    assert any(r.code == "ALIAS-ASSUMED" and "'v' and 'w'" in r.message for r in a.reasons)


def test_alias_assumption_is_said():
    a = loops_of("void f(int n,double*x,double*y){for(int i=0;i<n;i++) x[i]=y[i];}")[0]
    assert any(r.code == "ALIAS-ASSUMED" and "'x' and 'y'" in r.message for r in a.reasons)
    assert a.confidence < 0.9


def test_distance_evidence():
    a = loops_of("double a[100];void f(int n){for(int i=1;i<n;i++) a[i]=a[i-1]+1;}")[0]
    r = a.reasons[0]
    assert r.evidence["distance"] == 1 and r.evidence["array"] == "a"
    assert "write a[i] at 1:" in r.message and "read a[i-1]" in r.message


def test_linear_induction():
    a = loops_of("void f(int n,double*restrict a,double*restrict b,double*restrict c){int j=0;for(int i=0;i<n;i++){c[j]+=a[i]*b[i];j++;}}")[0]
    assert a.pragma == "#pragma omp parallel for linear(j)"


def test_linear_induction_conflict():
    a = loops_of("void f(int n,double*restrict c){int j=0;for(int i=0;i<n;i++){c[j]=c[j+1];j++;}}")[0]
    assert a.pragma is None and a.reasons[0].code == "DEP-CARRIED"


def test_indirect_through_constant_table_disjoint():
    code = ("double base[100];void f(void){int idx[4]={0,2,4,6};double*x1=base;double*x2=base+1;"
            "for(int i=0;i<4;i++){int k=idx[i];x1[k]+=1;x2[k]+=3;}}")
    a = loops_of(code)[0]
    assert a.parallelizable and a.reasons[0].code == "TRIP-SMALL"  # legal; too short to pay off


def test_indirect_through_constant_table_overlap():
    code = ("double base[100];void f(void){int idx[4]={0,2,4,6};double*x1=base;double*x2=base+2;"
            "for(int i=0;i<4;i++){int k=idx[i];x1[k]+=1;x2[k]+=3;}}")
    a = loops_of(code)[0]
    assert not a.parallelizable and a.reasons[0].code == "DEP-CARRIED"


def test_bounds_assumption_is_said():
    a = loops_of("double a[100][100],b[100][100];int jst,jend;void f(int n){for(int i=0;i<n;i++) for(int j=jst;j<=jend;j++) a[i][j]=b[i][j-1];}")[0]
    assert [r.code for r in a.reasons] == ["OMP-PARALLEL", "BOUNDS-ASSUMED"]
    assert "b[i][j-1]" in a.reasons[1].message


def test_pointer_rows_assumption_is_said():
    a = loops_of("void f(double***z,int n){for(int i=0;i<n;i++) for(int j=0;j<n;j++) for(int k=0;k<n;k++) z[i][j][k]=0;}")[0]
    assert a.parallelizable and a.confidence < 0.9
    assert any(r.code == "ALIAS-ASSUMED" and "rows of 'z'" in r.message for r in a.reasons)


def test_dependence_through_a_callee_of_unknown_reach_is_not_called_exact():
    a = loops_of("double a[1000];static void bump(double*p){*p=*p+1;}\nvoid f(void){for(int i=0;i<1000;i++) bump(&a[i]);}")[0]
    ev = a.reasons[0].evidence
    assert a.reasons[0].code == "DEP-CARRIED" and ev["exact"] is False and ev["test"] != "ziv"


def test_linearized_rows_condition_is_said():
    code = ("void f(int n,int m,int ld,double*restrict a,const double*restrict b){for(int j=0;j<m;j++) "
            "for(int i=0;i<n;i++) a[i+j*ld]=b[i+j*ld];}")
    a = loops_of(code)[0]
    assumed = [r for r in a.reasons if r.code == "BOUNDS-ASSUMED"]
    assert assumed and "the values of i differ by less than ld" in assumed[0].message
    assert a.confidence < 0.9 and "assuming" in a.reasons[0].message


def test_opaque_subscript_assumption_is_said():
    a = loops_of("void f(double a[100][100],const int*idx,int n){for(int i=0;i<n;i++) a[idx[i]][i]=1;}")[0]
    assumed = [r for r in a.reasons if r.code == "BOUNDS-ASSUMED"]
    assert a.parallelizable and assumed and "a[idx[i]][i]" in assumed[0].message and a.confidence < 0.9


def test_a_linear_variables_value_on_entry_is_named_for_users():
    (a,) = loops_of("void daxpy(int n,double a,const double*x,int incx,double*y,int incy){int ix=0,iy=0;"
                    "for(int i=0;i<n;i++){y[iy]+=a*x[ix];ix+=incx;iy+=incy;}}")
    cond = next(r for r in a.reasons if r.code == "BOUNDS-ASSUMED").message
    assert "(iy on entry) < incy" in cond and "@" not in cond


def test_a_reference_is_no_linear_variable():
    # (review, unsafe) 'long &ix' may be an element of the array the loop writes
    (a,) = loops_of("long A[100];\nvoid f(long &ix, int n) {\n  for (int i = 0; i < n; i++) { A[i] = ix + 1; ix += 3; }\n}\n", "cpp")
    assert a.pragma is None and a.reasons[0].code == "SCALAR-CARRIED"


def test_a_threadprivate_variable_of_a_local_header_is_thread_local(tmp_path):
    from ompwise import analyze_file
    (tmp_path / "tp.h").write_text("extern int tp;\n#pragma omp threadprivate(tp)\n")
    (tmp_path / "main.c").write_text('#include "tp.h"\nint tp = 5;\nint a[100];\n'
                                     "void f(void) { for (int i = 0; i < 100; i++) a[i] = tp + i; }\n")
    (a,) = analyze_file(str(tmp_path / "main.c")).loops
    assert a.reasons[0].code == "THREAD-LOCAL"
