       IDENTIFICATION DIVISION.
       PROGRAM-ID. SLINQ.
       AUTHOR. D L WEBER.
       DATE-WRITTEN. 11/15/1993.
      *================================================================*
      * SLINQ - ACCOUNT INQUIRY (TRANSACTION SLIN), OPTION 1 OF SLMENU *
      *   SHOWS ONE ACCOUNT FROM THE VSAM ACCOUNT MASTER (ACCTMST) ON  *
      *   MAP INQMAP. PF3 RETURNS TO THE MENU.                         *
      *----------------------------------------------------------------*
      * 1993-11-15 DLW  ORIGINAL                                       *
      * 2001-09-20 AMC  STAFF ACCOUNTS HIDDEN FROM TELLERS (HR-4)      *
      *================================================================*
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-RESP                     PIC S9(08) COMP.
       01  WS-RESP-DISPLAY             PIC 9(04).
       01  WS-EDIT-AMOUNT              PIC -,---,---,--9.99.
       01  WS-OPEN-DATE.
           05  WS-OPEN-YYYY            PIC 9(04).
           05  WS-OPEN-MM              PIC 9(02).
           05  WS-OPEN-DD              PIC 9(02).
       COPY SLCOMM.
       COPY SLMAPS.
       COPY ACCTREC.
       COPY DFHAID.
       COPY DFHBMSCA.
       LINKAGE SECTION.
       01  DFHCOMMAREA                 PIC X(64).

       PROCEDURE DIVISION.
       0000-MAIN.
           IF EIBCALEN = 0
      *        NOT STARTED FROM THE MENU: GO THROUGH THE MENU FIRST
               EXEC CICS XCTL PROGRAM('SLMENU') END-EXEC
           END-IF
           MOVE DFHCOMMAREA (1:EIBCALEN) TO SL-COMMAREA
           IF SL-CA-FIRST-TIME
               MOVE LOW-VALUES TO INQMAPO
               MOVE 'ENTER AN ACCOUNT NUMBER AND PRESS ENTER'
                 TO INQMSGO
               PERFORM 7000-SEND-MAP
           ELSE
               PERFORM 1000-PROCESS-INPUT
           END-IF
           PERFORM 8000-RETURN.

       1000-PROCESS-INPUT.
           EVALUATE EIBAID
               WHEN DFHPF3
                   PERFORM 8100-BACK-TO-MENU
               WHEN DFHENTER
                   EXEC CICS RECEIVE MAP('INQMAP')
                        MAPSET('SLMAPS')
                        INTO(INQMAPI)
                        RESP(WS-RESP)
                   END-EXEC
                   PERFORM 2000-READ-ACCOUNT
               WHEN OTHER
                   MOVE LOW-VALUES TO INQMAPO
                   MOVE 'INVALID KEY - USE ENTER OR PF3' TO INQMSGO
           END-EVALUATE
           PERFORM 7000-SEND-MAP.

       2000-READ-ACCOUNT.
           IF INQACCTL = ZERO OR INQACCTI = SPACES
               MOVE LOW-VALUES TO INQMAPO
               MOVE 'ACCOUNT NUMBER IS REQUIRED' TO INQMSGO
               MOVE DFHBMBRY TO INQACCTA
           ELSE
               MOVE INQACCTI TO SL-CA-ACCT-NUMBER
               EXEC CICS READ FILE('ACCTMST')
                    INTO(ACCT-MASTER-REC)
                    RIDFLD(SL-CA-ACCT-NUMBER)
                    RESP(WS-RESP)
               END-EXEC
               MOVE LOW-VALUES TO INQMAPO
               MOVE SL-CA-ACCT-NUMBER TO INQACCTO
               EVALUATE WS-RESP
                   WHEN DFHRESP(NORMAL)
                       PERFORM 3000-FORMAT-ACCOUNT
                   WHEN DFHRESP(NOTFND)
                       MOVE 'ACCOUNT NOT FOUND' TO INQMSGO
                       MOVE DFHBMBRY TO INQACCTA
                   WHEN OTHER
                       MOVE WS-RESP TO WS-RESP-DISPLAY
                       STRING 'ACCOUNT FILE ERROR, RESP '
                              WS-RESP-DISPLAY DELIMITED BY SIZE
                              INTO INQMSGO
               END-EVALUATE
           END-IF
           MOVE -1 TO INQACCTL.

      *    PRIVACY POLICY HR-4: TELLERS MAY NOT VIEW STAFF ACCOUNTS
       3000-FORMAT-ACCOUNT.
           IF ACCT-STAFF AND SL-CA-TELLER
               MOVE 'STAFF ACCOUNT - ASK A SUPERVISOR' TO INQMSGO
           ELSE
               MOVE ACCT-NUMBER    TO INQACCTO
               MOVE ACCT-CUST-NAME TO INQNAMEO
               PERFORM 3100-DESCRIBE-ACCOUNT
               MOVE ACCT-BALANCE TO WS-EDIT-AMOUNT
               MOVE WS-EDIT-AMOUNT TO INQBALO
      *        FUNDS ON A FROZEN ACCOUNT ARE NOT AVAILABLE
               IF ACCT-FROZEN
                   MOVE ZERO TO WS-EDIT-AMOUNT
               ELSE
                   MOVE ACCT-AVAIL-BALANCE TO WS-EDIT-AMOUNT
               END-IF
               MOVE WS-EDIT-AMOUNT TO INQAVLO
               MOVE ACCT-OPEN-DATE TO WS-OPEN-DATE
               STRING WS-OPEN-MM '/' WS-OPEN-DD '/' WS-OPEN-YYYY
                      DELIMITED BY SIZE INTO INQOPNO
               MOVE 'PRESS PF3 FOR THE MENU' TO INQMSGO
           END-IF.

       3100-DESCRIBE-ACCOUNT.
           EVALUATE TRUE
               WHEN ACCT-SAVINGS     MOVE 'SAVINGS'      TO INQTYPEO
               WHEN ACCT-CHECKING    MOVE 'CHECKING'     TO INQTYPEO
               WHEN ACCT-LOAN        MOVE 'LOAN'         TO INQTYPEO
               WHEN ACCT-CD          MOVE 'CERTIFICATE'  TO INQTYPEO
               WHEN OTHER            MOVE 'UNKNOWN'      TO INQTYPEO
           END-EVALUATE
           EVALUATE TRUE
               WHEN ACCT-ACTIVE      MOVE 'ACTIVE'       TO INQSTATO
               WHEN ACCT-DORMANT     MOVE 'DORMANT'      TO INQSTATO
               WHEN ACCT-FROZEN      MOVE 'FROZEN'       TO INQSTATO
               WHEN ACCT-CLOSED      MOVE 'CLOSED'       TO INQSTATO
               WHEN ACCT-CHARGED-OFF MOVE 'CHARGED OFF'  TO INQSTATO
               WHEN OTHER            MOVE 'UNKNOWN'      TO INQSTATO
           END-EVALUATE.

       7000-SEND-MAP.
           EXEC CICS SEND MAP('INQMAP')
                MAPSET('SLMAPS')
                FROM(INQMAPO)
                ERASE
                CURSOR
           END-EXEC.

       8000-RETURN.
           MOVE 'SLINQ' TO SL-CA-FROM-PROGRAM
           SET SL-CA-REENTER TO TRUE
           EXEC CICS RETURN TRANSID('SLIN')
                COMMAREA(SL-COMMAREA)
                LENGTH(LENGTH OF SL-COMMAREA)
           END-EXEC.

       8100-BACK-TO-MENU.
           MOVE 'SLINQ'  TO SL-CA-FROM-PROGRAM
           MOVE SPACES   TO SL-CA-MESSAGE
           EXEC CICS XCTL PROGRAM('SLMENU')
                COMMAREA(SL-COMMAREA)
                LENGTH(LENGTH OF SL-COMMAREA)
           END-EXEC.
