      *================================================================*
      * REJREC   - ACCOUNT VALIDATION REJECT RECORD (100 BYTES)        *
      *            WRITTEN BY ACCTVAL, PRINTED BY RPTGEN               *
      *  REASON CODES                                                  *
      *   R01 INVALID ACCOUNT TYPE      R06 ZIP CODE NOT NUMERIC       *
      *   R02 INVALID ACCOUNT STATUS    R07 CLOSED ACCT WITH BALANCE   *
      *   R03 INVALID OPEN DATE         R08 OVERDRAWN PAST OD LIMIT    *
      *   R04 OPEN DATE IN THE FUTURE   R09 CUSTOMER NAME MISSING      *
      *   R05 INVALID STATE CODE                                       *
      *================================================================*
       01  REJECT-REC.
           05  REJ-ACCT-NUMBER         PIC X(10).
           05  REJ-REASON-CODE         PIC X(03).
               88  REJ-DATA-ERROR      VALUE 'R01' THRU 'R06'.
               88  REJ-BALANCE-ERROR   VALUE 'R07' 'R08'.
           05  REJ-REASON-TEXT         PIC X(30).
           05  REJ-FIELD-VALUE         PIC X(30).
           05  REJ-RUN-DATE            PIC 9(08).
           05  FILLER                  PIC X(19).
