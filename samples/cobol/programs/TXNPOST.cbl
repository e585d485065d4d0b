       IDENTIFICATION DIVISION.
       PROGRAM-ID. TXNPOST.
       AUTHOR. A M CASTRO.
       DATE-WRITTEN. 04/02/2001.
      *================================================================*
      * TXNPOST - POST THE DAY'S TELLER AND ATM TRANSACTIONS TO DB2    *
      *           (SLNIGHT STEP050, RUN UNDER IKJEFT01, PLAN SLTXNPL)  *
      *   FOR EACH TRANSACTION ON TXNIN: READ THE ACCOUNT ROW, CHECK   *
      *   STATUS AND FUNDS, UPDATE THE BALANCE AND INSERT A HISTORY    *
      *   ROW. COMMIT EVERY WS-COMMIT-FREQ POSTINGS.                   *
      *   THEN EXTRACT TODAY'S CASH TRANSACTIONS OF 10,000.00 OR MORE  *
      *   TO THE CURRENCY TRANSACTION REPORT FILE (CTROUT, BSA RULE).  *
      *   REJECT REASONS                                               *
      *     T01 BAD TRANSACTION CODE OR AMOUNT   T04 ACCOUNT FROZEN    *
      *     T02 ACCOUNT NOT FOUND                T05 PAYMENT NOT LOAN  *
      *     T03 ACCOUNT CLOSED                   T06 NON-SUFFICIENT    *
      *                                              FUNDS             *
      *----------------------------------------------------------------*
      * 2001-04-02 AMC  ORIGINAL (REPLACES VSAM POSTING PROGRAM)       *
      * 2006-11-30 AMC  CTR EXTRACT                                    *
      *================================================================*
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT TXN-IN   ASSIGN TO TXNIN
                  FILE STATUS IS WS-TXN-STATUS.
           SELECT CTR-OUT  ASSIGN TO CTROUT.
       DATA DIVISION.
       FILE SECTION.
       FD  TXN-IN
           RECORDING MODE IS F.
           COPY TXNREC.
       FD  CTR-OUT
           RECORDING MODE IS F.
       01  CTR-REC.
           05  CTR-ACCT-NO             PIC X(10).
           05  CTR-TXN-TS              PIC X(26).
           05  CTR-TXN-CODE            PIC X(02).
           05  CTR-AMOUNT              PIC 9(09)V99.
           05  CTR-BRANCH              PIC X(04).
           05  FILLER                  PIC X(27).
       WORKING-STORAGE SECTION.
       COPY COMWORK.
           EXEC SQL INCLUDE SQLCA END-EXEC.
           EXEC SQL INCLUDE DCLACCT END-EXEC.
           EXEC SQL INCLUDE DCLTXNH END-EXEC.
       01  WS-TXN-STATUS               PIC X(02).
       01  WS-COMMIT-COUNT             PIC S9(05) COMP-3 VALUE ZERO.
       01  WS-COMMIT-FREQ              PIC S9(05) COMP-3 VALUE 500.
       01  WS-NEW-BALANCE              PIC S9(11)V99 COMP-3.
       01  WS-CTR-THRESHOLD            PIC S9(09)V99 COMP-3
                                       VALUE 10000.00.
       01  WS-SQLCODE-DISP             PIC -9(09).
       01  WS-POST-SW                  PIC X(01).
           88  WS-POST-OK              VALUE 'Y'.
           88  WS-POST-REJECTED        VALUE 'N'.
       01  WS-CTR-EOF-SW               PIC X(01) VALUE 'N'.
           88  WS-CTR-EOF              VALUE 'Y'.
       01  WS-CTR-COUNT                PIC S9(07) COMP-3 VALUE ZERO.

       PROCEDURE DIVISION.
       A000-MAIN SECTION.
       A010-START.
           PERFORM B000-INITIALISE
           PERFORM C000-POST-TRANSACTION
               UNTIL WS-EOF
           PERFORM D000-CTR-EXTRACT
           PERFORM Z000-TERMINATE
           GOBACK.

       B000-INITIALISE SECTION.
       B010-OPEN.
           MOVE FUNCTION CURRENT-DATE(1:8) TO WS-RUN-DATE
           OPEN INPUT  TXN-IN
                OUTPUT CTR-OUT
           IF WS-TXN-STATUS NOT= '00'
               DISPLAY 'TXNPOST: OPEN TXNIN FAILED ' WS-TXN-STATUS
               MOVE 16 TO RETURN-CODE
               STOP RUN
           END-IF
           PERFORM X100-READ-TXN.

      *----------------------------------------------------------------*
      * ONE TRANSACTION PER PASS. A REJECT SKIPS TO C090-NEXT.         *
      *----------------------------------------------------------------*
       C000-POST-TRANSACTION SECTION.
       C010-VALIDATE.
           SET WS-POST-OK TO TRUE
           IF NOT TXN-VALID-CODE OR TXN-AMOUNT NOT > ZERO
               MOVE 'T01' TO WS-REASON-CODE
               PERFORM E000-REJECT-TXN
               GO TO C090-NEXT
           END-IF.

       C020-SELECT-ACCOUNT.
           MOVE TXN-ACCT-NUMBER TO ACCT-NO
           EXEC SQL
               SELECT ACCT_TYPE, ACCT_STATUS, CURR_BALANCE,
                      AVAIL_BALANCE, OD_LIMIT
                 INTO :ACCT-TYPE, :ACCT-STATUS, :CURR-BALANCE,
                      :AVAIL-BALANCE, :OD-LIMIT
                 FROM SAVLN.ACCOUNT
                WHERE ACCT_NO = :ACCT-NO
           END-EXEC
           EVALUATE SQLCODE
               WHEN 0
                   CONTINUE
               WHEN 100
                   MOVE 'T02' TO WS-REASON-CODE
                   PERFORM E000-REJECT-TXN
                   GO TO C090-NEXT
               WHEN OTHER
                   PERFORM Y000-SQL-ERROR
           END-EVALUATE.

      *    CLOSED AND CHARGED-OFF ACCOUNTS TAKE NO POSTINGS; A FROZEN
      *    ACCOUNT TAKES DEPOSITS ONLY; A DEPOSIT REACTIVATES A
      *    DORMANT ACCOUNT.
       C030-CHECK-ACCOUNT.
           EVALUATE TRUE
               WHEN ACCT-STATUS = 'C' OR 'X'
                   MOVE 'T03' TO WS-REASON-CODE
               WHEN ACCT-STATUS = 'F' AND NOT TXN-DEPOSIT
                   MOVE 'T04' TO WS-REASON-CODE
               WHEN TXN-LOAN-PAYMENT AND ACCT-TYPE NOT= 'L'
                   MOVE 'T05' TO WS-REASON-CODE
               WHEN ACCT-STATUS = 'D' AND TXN-DEPOSIT
                   MOVE 'A' TO ACCT-STATUS
           END-EVALUATE
           IF WS-REASON-CODE NOT= SPACES
               PERFORM E000-REJECT-TXN
               GO TO C090-NEXT
           END-IF.

      *    DEPOSITS ADD; WITHDRAWALS, FEES AND LOAN PAYMENTS SUBTRACT.
      *    A WITHDRAWAL MAY NOT TAKE THE ACCOUNT PAST ITS OD LIMIT.
       C040-APPLY-AMOUNT.
           IF TXN-DEPOSIT
               COMPUTE WS-NEW-BALANCE = CURR-BALANCE + TXN-AMOUNT
           ELSE
               COMPUTE WS-NEW-BALANCE = CURR-BALANCE - TXN-AMOUNT
           END-IF
           IF TXN-WITHDRAWAL AND WS-NEW-BALANCE + OD-LIMIT < ZERO
               MOVE 'T06' TO WS-REASON-CODE
               PERFORM E000-REJECT-TXN
               GO TO C090-NEXT
           END-IF.

       C050-UPDATE-ACCOUNT.
           EXEC SQL
               UPDATE SAVLN.ACCOUNT
                  SET CURR_BALANCE  = :WS-NEW-BALANCE,
                      AVAIL_BALANCE = :WS-NEW-BALANCE,
                      ACCT_STATUS   = :ACCT-STATUS,
                      LAST_TXN_DATE = CURRENT DATE
                WHERE ACCT_NO = :ACCT-NO
           END-EXEC
           IF SQLCODE NOT= 0
               PERFORM Y000-SQL-ERROR
           END-IF.

       C060-INSERT-HISTORY.
           MOVE TXN-ACCT-NUMBER TO HIST-ACCT-NO
           MOVE TXN-CODE        TO HIST-TXN-CODE
           MOVE TXN-AMOUNT      TO HIST-TXN-AMOUNT
           MOVE TXN-BRANCH      TO HIST-BRANCH-ID
           MOVE TXN-TELLER-ID   TO HIST-TELLER-ID
           MOVE WS-NEW-BALANCE  TO HIST-BALANCE-AFTER
           EXEC SQL
               INSERT INTO SAVLN.ACCT_TXN_HIST
                      (ACCT_NO, TXN_TS, TXN_CODE, TXN_AMOUNT,
                       BRANCH_ID, TELLER_ID, BALANCE_AFTER)
               VALUES (:HIST-ACCT-NO, CURRENT TIMESTAMP,
                       :HIST-TXN-CODE, :HIST-TXN-AMOUNT,
                       :HIST-BRANCH-ID, :HIST-TELLER-ID,
                       :HIST-BALANCE-AFTER)
           END-EXEC
           IF SQLCODE NOT= 0
               PERFORM Y000-SQL-ERROR
           END-IF
           ADD 1 TO WS-RECORDS-WRITTEN WS-COMMIT-COUNT
           IF WS-COMMIT-COUNT >= WS-COMMIT-FREQ
               EXEC SQL COMMIT END-EXEC
               MOVE ZERO TO WS-COMMIT-COUNT
           END-IF.

       C090-NEXT.
           MOVE SPACES TO WS-REASON-CODE
           PERFORM X100-READ-TXN.

      *----------------------------------------------------------------*
      * CURRENCY TRANSACTION REPORT: CASH IN OR OUT OF 10,000.00 OR    *
      * MORE POSTED TODAY.                                             *
      *----------------------------------------------------------------*
       D000-CTR-EXTRACT SECTION.
       D010-OPEN-CURSOR.
           EXEC SQL
               DECLARE CTR_CSR CURSOR FOR
                SELECT ACCT_NO, CHAR(TXN_TS), TXN_CODE,
                       TXN_AMOUNT, BRANCH_ID
                  FROM SAVLN.ACCT_TXN_HIST
                 WHERE DATE(TXN_TS) = CURRENT DATE
                   AND TXN_CODE IN ('DP', 'WD')
                   AND TXN_AMOUNT >= :WS-CTR-THRESHOLD
                 ORDER BY ACCT_NO, TXN_TS
           END-EXEC
           EXEC SQL OPEN CTR_CSR END-EXEC
           IF SQLCODE NOT= 0
               PERFORM Y000-SQL-ERROR
           END-IF.

       D020-FETCH-ROWS.
           PERFORM UNTIL WS-CTR-EOF
               EXEC SQL
                   FETCH CTR_CSR
                    INTO :HIST-ACCT-NO, :HIST-TXN-TS, :HIST-TXN-CODE,
                         :HIST-TXN-AMOUNT, :HIST-BRANCH-ID
               END-EXEC
               EVALUATE SQLCODE
                   WHEN 0
                       PERFORM D100-WRITE-CTR
                   WHEN 100
                       SET WS-CTR-EOF TO TRUE
                   WHEN OTHER
                       PERFORM Y000-SQL-ERROR
               END-EVALUATE
           END-PERFORM.

       D030-CLOSE-CURSOR.
           EXEC SQL CLOSE CTR_CSR END-EXEC.

       D100-WRITE-CTR SECTION.
       D110-WRITE.
           MOVE SPACES          TO CTR-REC
           MOVE HIST-ACCT-NO    TO CTR-ACCT-NO
           MOVE HIST-TXN-TS     TO CTR-TXN-TS
           MOVE HIST-TXN-CODE   TO CTR-TXN-CODE
           MOVE HIST-TXN-AMOUNT TO CTR-AMOUNT
           MOVE HIST-BRANCH-ID  TO CTR-BRANCH
           WRITE CTR-REC
           ADD 1 TO WS-CTR-COUNT.

       E000-REJECT-TXN SECTION.
       E010-REJECT.
           SET WS-POST-REJECTED TO TRUE
           ADD 1 TO WS-RECORDS-REJECTED
           DISPLAY 'TXNPOST: REJECTED ' TXN-ACCT-NUMBER ' '
                   TXN-CODE ' REASON ' WS-REASON-CODE.

       X100-READ-TXN SECTION.
       X110-READ.
           READ TXN-IN
               AT END
                   SET WS-EOF TO TRUE
               NOT AT END
                   ADD 1 TO WS-RECORDS-READ
           END-READ.

      *    ANY UNEXPECTED SQLCODE: BACK OUT THE UNIT OF WORK AND STOP
       Y000-SQL-ERROR SECTION.
       Y010-REPORT.
           MOVE SQLCODE TO WS-SQLCODE-DISP
           DISPLAY 'TXNPOST: SQLCODE ' WS-SQLCODE-DISP
                   ' ACCOUNT ' ACCT-NO
           DISPLAY 'TXNPOST: ' SQLERRMC
           EXEC SQL ROLLBACK END-EXEC
           MOVE 12 TO RETURN-CODE
           STOP RUN.

       Z000-TERMINATE SECTION.
       Z010-CLOSE.
           EXEC SQL COMMIT END-EXEC
           CLOSE TXN-IN CTR-OUT
           DISPLAY 'TXNPOST: READ     ' WS-RECORDS-READ
           DISPLAY 'TXNPOST: POSTED   ' WS-RECORDS-WRITTEN
           DISPLAY 'TXNPOST: REJECTED ' WS-RECORDS-REJECTED
           DISPLAY 'TXNPOST: CTR ROWS ' WS-CTR-COUNT
           IF WS-RECORDS-REJECTED > ZERO
               MOVE 4 TO RETURN-CODE
           END-IF.
